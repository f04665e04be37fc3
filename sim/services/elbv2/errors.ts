// ELBv2 errors with the codes and messages the API returns.
import { SimError } from "../../api/errors.js";

export const loadBalancerNotFound = (message = "One or more load balancers not found"): SimError =>
  new SimError("LoadBalancerNotFound", message);

export const targetGroupNotFound = (message = "One or more target groups not found"): SimError =>
  new SimError("TargetGroupNotFound", message);

export const listenerNotFound = (): SimError =>
  new SimError("ListenerNotFound", "One or more listeners not found");

export const invalidTarget = (message: string): SimError => new SimError("InvalidTarget", message);

export const validation = (message: string): SimError => new SimError("ValidationError", message);

export const invalidConfiguration = (message: string): SimError =>
  new SimError("InvalidConfigurationRequest", message);

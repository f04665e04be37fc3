// Classic ELB errors with the codes and messages the API returns.
import { SimError } from "../../api/errors.js";
import type { RegionState } from "../../state/store.js";
import type { ClassicLoadBalancer } from "../../state/types.js";

export const validation = (message: string): SimError => new SimError("ValidationError", message);

export const loadBalancerNotFound = (name: string): SimError =>
  new SimError("LoadBalancerNotFound", `There is no ACTIVE Load Balancer named '${name}'`);

export function findLoadBalancer(region: RegionState, name: string): ClassicLoadBalancer {
  const lb = region.loadBalancers.get(name);
  if (!lb) throw loadBalancerNotFound(name);
  return lb;
}

export const invalidInstance = (ids: string[]): SimError =>
  new SimError("InvalidInstance", `Could not find EC2 instance ${ids.join(", ")}.`);

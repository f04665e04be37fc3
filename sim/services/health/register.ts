// Registers the load balancing services on a sim: classic ELB, ELBv2, the health controls and
// the hooks Auto Scaling uses.
import type { Sim } from "../../runtime.js";
import { elbService } from "../elb/index.js";
import { elbv2Service } from "../elbv2/index.js";
import { addHealthControls } from "./controls.js";
import { loadBalancerInternal } from "./lb-internal.js";

export function registerLoadBalancing(sim: Sim): void {
  sim.addService(elbService());
  sim.addService(elbv2Service());
  sim.internal.lb = loadBalancerInternal(sim);
  addHealthControls(sim);
}

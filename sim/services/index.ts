// Registers every service of the local region on a Sim.
import type { Sim } from "../runtime.js";
import { autoscalingService } from "./autoscaling/index.js";
import { registerEc2 } from "./ec2/index.js";
import { registerLoadBalancing } from "./health/register.js";

export function registerServices(sim: Sim): void {
  registerEc2(sim);
  registerLoadBalancing(sim);
  sim.addService(autoscalingService(sim));
}

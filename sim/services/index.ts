// Registers every service of the local region on a Sim.
import type { Sim } from "../runtime.js";
import { autoscalingService } from "./autoscaling/index.js";
import { registerEc2 } from "./ec2/index.js";
import { registerLoadBalancing } from "./health/register.js";
import { iamService } from "./iam/index.js";
import { s3Handler } from "./s3/index.js";

export function registerServices(sim: Sim): void {
  registerEc2(sim);
  registerLoadBalancing(sim);
  sim.s3 = s3Handler;
  sim.addService(autoscalingService(sim));
  sim.addService(iamService());
}

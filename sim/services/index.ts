// Registers every service of the local region on a Sim.
import type { Sim } from "../runtime.js";
import { registerEc2 } from "./ec2/index.js";

export function registerServices(sim: Sim): void {
  registerEc2(sim);
}

// Registers every service of the local region on a Sim.
import type { Sim } from "../runtime.js";
import { ec2Service } from "./ec2/index.js";

export function registerServices(sim: Sim): void {
  sim.addService(ec2Service());
}

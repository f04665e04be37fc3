// The EC2 service: seeds each region, offers Ec2Internal to the other services, adds its control
// routes, and registers its operation table.
import type { Sim } from "../../runtime.js";
import type { QueryService } from "../types.js";
import { bindOps, Ec2Context } from "./context.js";
import { addEc2ControlRoutes } from "./control.js";
import { HostManager } from "./hosts/manager.js";
import { driverHosts } from "./hosts/driver-hosts.js";
import type { InstanceHosts } from "./hosts/port.js";
import { ec2Internal } from "./internal.js";
import { EC2_OPS } from "./ops.js";
import { seedRegion } from "./seed.js";

/** `hosts` defaults to sim/hosts' full-host driver; tests of the wiring may pass their own. */
export function registerEc2(sim: Sim, hosts: InstanceHosts = driverHosts(sim)): Ec2Context {
  const manager = new HostManager(hosts, (instanceId, reason) => {
    for (const region of sim.state.regions.values()) {
      const instance = region.instances.get(instanceId);
      if (instance) instance.impairedReason = reason;
    }
    sim.recordError(`boot ${instanceId}`, new Error(reason));
  });
  const ec2 = new Ec2Context(sim, manager);
  for (const region of sim.state.regions.values()) seedRegion(region);
  sim.internal.ec2 = ec2Internal(ec2);
  addEc2ControlRoutes(ec2);
  sim.onStop(() => manager.stopAll());
  sim.addService(ec2Service(ec2));
  return ec2;
}

export function ec2Service(ec2: Ec2Context): QueryService {
  return {
    name: "ec2",
    version: "2016-11-15",
    xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
    throttleCode: "RequestLimitExceeded",
    ops: bindOps(ec2, EC2_OPS),
  };
}

// StopInstances, StartInstances and RebootInstances: every id must exist and be in a state the
// action allows (checked for all before any changes, as EC2 refuses the whole call); stop and start
// report each instance's previous and current state. Hibernate is accepted and ignored (the sim's
// instances are never configured for hibernation's RAM dump) and Force changes nothing: a sim host
// powers off at once either way.
import { SimError } from "../../../api/errors.js";
import type { OpContext } from "../../types.js";
import type { Ec2Op } from "../context.js";
import { beginStart, beginStop, checkStates, reboot } from "./power-flow.js";
import { requestedInstances, stateChangesXml } from "./state-change.js";

function checkDryRun({ params }: OpContext): void {
  if (params.bool("DryRun"))
    throw new SimError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
}

export const stopInstances: Ec2Op = (ctx, ec2) => {
  const instances = requestedInstances(ctx);
  checkStates(instances, "stopped");
  checkDryRun(ctx);
  const changes = instances.map((i) => beginStop(ec2, ctx.region, i));
  return stateChangesXml(changes);
};

export const startInstances: Ec2Op = (ctx, ec2) => {
  const instances = requestedInstances(ctx);
  checkStates(instances, "started");
  checkDryRun(ctx);
  const changes = instances.map((i) => beginStart(ec2, ctx.region, i));
  return stateChangesXml(changes);
};

export const rebootInstances: Ec2Op = (ctx, ec2) => {
  const instances = requestedInstances(ctx);
  checkStates(instances, "rebooted");
  checkDryRun(ctx);
  for (const i of instances) reboot(ec2, ctx.region, i);
  return { return: true };
};

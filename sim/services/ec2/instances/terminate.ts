// TerminateInstances: every id must exist; each reports its previous and current state.
import type { Ec2Op } from "../context.js";
import { requestedInstances, stateChangesXml } from "./state-change.js";
import { beginTermination } from "./terminate-flow.js";

export const terminateInstances: Ec2Op = (ctx, ec2) => {
  const instances = requestedInstances(ctx);
  return stateChangesXml(instances.map((i) => beginTermination(ec2, ctx.region, i)));
};

// TerminateInstances: every id must exist; each reports its previous and current state.
import { SimError } from "../../../api/errors.js";
import type { Ec2Op } from "../context.js";
import { checkIds, instanceNotFound } from "../errors.js";
import { stateXml } from "./shape.js";
import { beginTermination } from "./terminate-flow.js";

export const terminateInstances: Ec2Op = ({ region, params }, ec2) => {
  const ids = params.strings("InstanceId");
  if (ids.length === 0)
    throw new SimError("MissingParameter", "The request must contain the parameter InstanceId");
  checkIds(ids, "i", "InvalidInstanceID.Malformed");
  const missing = ids.filter((id) => !region.instances.has(id));
  if (missing.length) throw instanceNotFound(missing);
  const changes = [...new Set(ids)].map((id) => beginTermination(ec2, region, region.instances.get(id)!));
  return {
    instancesSet: changes.map((c) => ({
      instanceId: c.instanceId,
      currentState: stateXml(c.current),
      previousState: stateXml(c.previous),
    })),
  };
};

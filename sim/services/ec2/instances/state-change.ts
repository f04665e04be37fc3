// What StopInstances, StartInstances, RebootInstances and TerminateInstances share: the
// instances an `InstanceId` list names (every id must exist) and the `instancesSet` of their
// previous and current states.
import { SimError } from "../../../api/errors.js";
import type { XmlValue } from "../../../api/xml.js";
import type { Instance } from "../../../state/types.js";
import type { OpContext } from "../../types.js";
import { checkIds, instanceNotFound } from "../errors.js";
import { stateXml } from "./shape.js";
import type { StateChange } from "./terminate-flow.js";

export function requestedInstances({ region, params }: OpContext): Instance[] {
  const ids = params.strings("InstanceId");
  if (ids.length === 0)
    throw new SimError("MissingParameter", "The request must contain the parameter InstanceId");
  checkIds(ids, "i", "InvalidInstanceID.Malformed");
  const missing = ids.filter((id) => !region.instances.has(id));
  if (missing.length) throw instanceNotFound(missing);
  return [...new Set(ids)].map((id) => region.instances.get(id)!);
}

export function stateChangesXml(changes: StateChange[]): XmlValue {
  return {
    instancesSet: changes.map((c) => ({
      instanceId: c.instanceId,
      currentState: stateXml(c.current),
      previousState: stateXml(c.previous),
    })),
  };
}

// EC2's error codes and messages for missing, malformed and busy resources, as the API words them.
import { SimError } from "../../api/errors.js";

const quoted = (ids: string[]): string => ids.join(", ");

export const instanceNotFound = (ids: string[]): SimError =>
  new SimError(
    "InvalidInstanceID.NotFound",
    ids.length === 1
      ? `The instance ID '${ids[0]}' does not exist`
      : `The instance IDs '${quoted(ids)}' do not exist`,
  );

export const volumeNotFound = (ids: string[]): SimError =>
  new SimError(
    "InvalidVolume.NotFound",
    ids.length === 1
      ? `The volume '${ids[0]}' does not exist.`
      : `The volumes '${quoted(ids)}' do not exist.`,
  );

export const snapshotNotFound = (ids: string[]): SimError =>
  new SimError(
    "InvalidSnapshot.NotFound",
    ids.length === 1
      ? `The snapshot '${ids[0]}' does not exist.`
      : `The snapshots '${quoted(ids)}' do not exist.`,
  );

export const imageNotFound = (ids: string[]): SimError =>
  new SimError(
    "InvalidAMIID.NotFound",
    ids.length === 1
      ? `The image id '[${ids[0]}]' does not exist`
      : `The image ids '[${quoted(ids)}]' do not exist`,
  );

export const subnetNotFound = (id: string): SimError =>
  new SimError("InvalidSubnetID.NotFound", `The subnet ID '${id}' does not exist`);

export const vpcNotFound = (id: string): SimError =>
  new SimError("InvalidVpcID.NotFound", `The vpc ID '${id}' does not exist`);

export const groupNotFound = (idOrName: string, vpcId?: string): SimError =>
  new SimError(
    "InvalidGroup.NotFound",
    vpcId
      ? `The security group '${idOrName}' does not exist in VPC '${vpcId}'`
      : `The security group '${idOrName}' does not exist`,
  );

export const keyPairNotFound = (name: string): SimError =>
  new SimError("InvalidKeyPair.NotFound", `The key pair '${name}' does not exist`);

/** `Invalid id: "x" (expecting "i-...")`, EC2's `*.Malformed` message. */
export function malformed(code: string, id: string, prefix: string): SimError {
  return new SimError(code, `Invalid id: "${id}" (expecting "${prefix}-...")`);
}

const ID_RE = /^[a-z]+-[0-9a-f]{8}([0-9a-f]{9})?$/;

/** Checks ids of one kind (`i`, `vol`, `snap`, `ami`...) before looking them up, as EC2 does. */
export function checkIds(ids: string[], prefix: string, code: string): void {
  for (const id of ids)
    if (!id.startsWith(`${prefix}-`) || !ID_RE.test(id)) throw malformed(code, id, prefix);
}

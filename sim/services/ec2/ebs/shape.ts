// Volumes and snapshots as the EC2 API returns them.
import type { XmlValue } from "../../../api/xml.js";
import type { Snapshot, Volume, VolumeAttachment } from "../../../state/types.js";
import { ec2TagSet } from "../../common/tags.js";
import { AMAZON_OWNER_ID } from "../seed.js";

export function attachmentXml(volumeId: string, a: VolumeAttachment): XmlValue {
  return {
    volumeId,
    instanceId: a.instanceId,
    device: a.device,
    status: a.state,
    attachTime: a.attachTime,
    deleteOnTermination: a.deleteOnTermination,
  };
}

export function volumeXml(v: Volume): XmlValue {
  return {
    volumeId: v.volumeId,
    size: v.size,
    // EC2 sends an empty snapshotId for a volume made from nothing.
    snapshotId: v.snapshotId ?? "",
    availabilityZone: v.availabilityZone,
    status: v.state,
    createTime: v.createTime,
    attachmentSet: v.attachments.map((a) => attachmentXml(v.volumeId, a)),
    tagSet: ec2TagSet(v.tags),
    volumeType: v.volumeType,
    iops: v.iops,
    throughput: v.throughput,
    encrypted: v.encrypted,
    kmsKeyId: v.kmsKeyId,
    multiAttachEnabled: false,
  };
}

export function snapshotXml(s: Snapshot): XmlValue {
  return {
    snapshotId: s.snapshotId,
    volumeId: s.volumeId,
    status: s.state,
    startTime: s.startTime,
    progress: s.progress,
    ownerId: s.ownerId,
    ownerAlias: s.ownerId === AMAZON_OWNER_ID ? "amazon" : undefined,
    description: s.description,
    volumeSize: s.volumeSize,
    encrypted: s.encrypted,
    kmsKeyId: s.kmsKeyId,
    storageTier: "standard",
    tagSet: ec2TagSet(s.tags),
  };
}

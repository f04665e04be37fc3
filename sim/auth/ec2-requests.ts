// The authorization requests of an EC2 call, as the Service Authorization Reference lists them: each
// resource ARN the action touches with that resource's tags (aws:ResourceTag/ec2:ResourceTag), the
// request's tags (aws:RequestTag, aws:TagKeys), and for tags given at creation the implied
// ec2:CreateTags on the new resource with ec2:CreateAction. Calls without resource-level
// permissions (Describe*) are checked on "*".
import type { ParamReader } from "../api/params.js";
import type { RegionState } from "../state/store.js";
import type { Tags } from "../state/types.js";
import type { AuthRequest, ContextKeys } from "./evaluate.js";

interface Input {
  action: string;
  params: ParamReader;
  region: RegionState;
  accountId: string;
}

export function ec2Requests(input: Input): AuthRequest[] {
  const build = builders[input.action];
  return build ? build(input, arns(input)) : [{ action: `ec2:${input.action}`, resource: "*", keys: {} }];
}

interface Arns {
  instance(id: string): Resource;
  volume(id: string): Resource;
  snapshot(id: string): Resource;
  /** Any of the taggable resources CreateTags/DeleteTags name, by id prefix. */
  byId(id: string): Resource;
}

interface Resource {
  arn: string;
  keys: Record<string, string>;
}

function arns({ region, accountId }: Input): Arns {
  const base = `arn:aws:ec2:${region.name}:${accountId}`;
  const tagKeys = (tags: Tags | undefined) =>
    Object.fromEntries(
      Object.entries(tags ?? {}).flatMap(([k, v]) => [
        [`aws:ResourceTag/${k}`, v],
        [`ec2:ResourceTag/${k}`, v],
      ]),
    );
  const a: Arns = {
    instance: (id) => ({
      arn: `${base}:instance/${id}`,
      keys: { ...tagKeys(region.instances.get(id)?.tags), "ec2:InstanceID": id },
    }),
    volume: (id) => ({ arn: `${base}:volume/${id}`, keys: tagKeys(region.volumes.get(id)?.tags) }),
    // Snapshot ARNs carry no account.
    snapshot: (id) => ({
      arn: `arn:aws:ec2:${region.name}::snapshot/${id}`,
      keys: tagKeys(region.snapshots.get(id)?.tags),
    }),
    byId: (id) => {
      if (id.startsWith("i-")) return a.instance(id);
      if (id.startsWith("vol-")) return a.volume(id);
      if (id.startsWith("snap-")) return a.snapshot(id);
      const kind = /^([a-z]+(?:-[a-z]+)*)-/.exec(id)?.[1] ?? "resource";
      const type = kind === "lt" ? "launch-template" : kind;
      return { arn: `${base}:${type}/${id}`, keys: {} };
    },
  };
  return a;
}

/** aws:RequestTag/KEY and aws:TagKeys of tags a request sets. */
function requestTagKeys(tags: Tags): ContextKeys {
  return {
    ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
    "aws:TagKeys": Object.keys(tags),
  };
}

function tagSpec(params: ParamReader, resourceType: string): Tags {
  const tags: Tags = {};
  for (const spec of params.objects("TagSpecification")) {
    if (spec.str("ResourceType") !== resourceType) continue;
    for (const t of spec.objects("Tag")) tags[t.str("Key") ?? ""] = t.str("Value") ?? "";
  }
  return tags;
}

function tagList(params: ParamReader): Tags {
  const tags: Tags = {};
  for (const t of params.objects("Tag")) tags[t.str("Key") ?? ""] = t.str("Value") ?? "";
  return tags;
}

const on = (action: string, r: Resource, extra: ContextKeys = {}): AuthRequest => ({
  action: `ec2:${action}`,
  resource: r.arn,
  keys: { ...r.keys, ...extra },
});

/** The new resource's own request, and the implied CreateTags when tags are given with it. */
function created(action: string, r: Resource, tags: Tags): AuthRequest[] {
  const keys = requestTagKeys(tags);
  return [
    on(action, r, keys),
    ...(Object.keys(tags).length > 0 ? [on("CreateTags", r, { ...keys, "ec2:CreateAction": action })] : []),
  ];
}

type Builder = (input: Input, a: Arns) => AuthRequest[];

const builders: Record<string, Builder> = {
  CreateVolume: ({ params }, a) => {
    const tags = tagSpec(params, "volume");
    const snapshotId = params.str("SnapshotId");
    return [
      // The new volume has no id yet: it is checked as volume/*.
      ...created("CreateVolume", a.volume("*"), tags),
      ...(snapshotId ? [on("CreateVolume", a.snapshot(snapshotId), requestTagKeys(tags))] : []),
    ];
  },
  AttachVolume: ({ params }, a) => [
    on("AttachVolume", a.instance(params.str("InstanceId") ?? "")),
    on("AttachVolume", a.volume(params.str("VolumeId") ?? "")),
  ],
  DetachVolume: ({ params, region }, a) => {
    const volumeId = params.str("VolumeId") ?? "";
    // Without InstanceId the volume is detached from whatever holds it: that instance is checked.
    const instanceId =
      params.str("InstanceId") ?? region.volumes.get(volumeId)?.attachments[0]?.instanceId ?? "*";
    return [on("DetachVolume", a.instance(instanceId)), on("DetachVolume", a.volume(volumeId))];
  },
  DeleteVolume: ({ params }, a) => [on("DeleteVolume", a.volume(params.str("VolumeId") ?? ""))],
  ModifyVolume: ({ params }, a) => [on("ModifyVolume", a.volume(params.str("VolumeId") ?? ""))],
  ModifyInstanceAttribute: ({ params }, a) => [
    on("ModifyInstanceAttribute", a.instance(params.str("InstanceId") ?? "")),
  ],
  CreateSnapshot: ({ params }, a) => {
    const tags = tagSpec(params, "snapshot");
    return [
      ...created("CreateSnapshot", a.snapshot("*"), tags),
      on("CreateSnapshot", a.volume(params.str("VolumeId") ?? ""), requestTagKeys(tags)),
    ];
  },
  DeleteSnapshot: ({ params }, a) => [on("DeleteSnapshot", a.snapshot(params.str("SnapshotId") ?? ""))],
  CreateTags: ({ params }, a) => {
    const keys = requestTagKeys(tagList(params));
    return params.strings("ResourceId").map((id) => on("CreateTags", a.byId(id), keys));
  },
  DeleteTags: ({ params }, a) => {
    const keys = requestTagKeys(tagList(params));
    return params.strings("ResourceId").map((id) => on("DeleteTags", a.byId(id), keys));
  },
};

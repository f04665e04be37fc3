// The authorization request of an Auto Scaling call: the group it names (AutoScalingGroupName, or
// the tags' ResourceId) with the group's tags (autoscaling:ResourceTag and aws:ResourceTag), and the
// tags the request sets (aws:RequestTag, aws:TagKeys). Calls naming no group are checked on "*".
import type { ParamReader } from "../api/params.js";
import type { RegionState } from "../state/store.js";
import type { AuthRequest, ContextKeys } from "./evaluate.js";

interface Input {
  action: string;
  params: ParamReader;
  region: RegionState;
  accountId: string;
}

export function autoscalingRequests({ action, params, region, accountId }: Input): AuthRequest[] {
  const tags = params.objects("Tags");
  const requestTags: Record<string, string> = {};
  for (const t of tags) requestTags[t.str("Key") ?? ""] = t.str("Value") ?? "";
  const requestKeys: ContextKeys =
    tags.length > 0
      ? {
          ...Object.fromEntries(Object.entries(requestTags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
          "aws:TagKeys": Object.keys(requestTags),
        }
      : {};
  const tagCall = action === "CreateOrUpdateTags" || action === "DeleteTags";
  const groupName = params.str("AutoScalingGroupName");
  const names = [
    ...new Set(
      tagCall ? tags.map((t) => t.str("ResourceId") ?? "") : groupName !== undefined ? [groupName] : [],
    ),
  ];
  if (names.length === 0) return [{ action: `autoscaling:${action}`, resource: "*", keys: requestKeys }];
  return names.map((name) => {
    const group = region.autoScalingGroups.get(name);
    // A group still to be made is checked on its name with any id.
    const resource =
      group?.autoScalingGroupARN ??
      `arn:aws:autoscaling:${region.name}:${accountId}:autoScalingGroup:*:autoScalingGroupName/${name}`;
    const resourceKeys = Object.fromEntries(
      (group?.tags ?? []).flatMap((t) => [
        [`autoscaling:ResourceTag/${t.key}`, t.value],
        [`aws:ResourceTag/${t.key}`, t.value],
      ]),
    );
    return { action: `autoscaling:${action}`, resource, keys: { ...resourceKeys, ...requestKeys } };
  });
}

// The deploy host's permissions: one entry per plan action kind (a kind added to actions.ts without
// an entry here does not compile), plus what reading the state and holding the lock need.
import type { ActionKind } from "../deploy/actions.js";
import type { DeployFeatures } from "./deploy-features.js";
import type { Grant } from "./policy.js";
import { MANAGED_BY_AGENT, MANAGED_BY_TAG } from "#shared/release/tags.js";

interface ActionPermissions {
  /** Whether a plan for these features can contain the action. */
  when: (f: DeployFeatures) => boolean;
  grants: (f: DeployFeatures) => Grant[];
}

const g = (action: string, extra: Omit<Grant, "action"> = {}): Grant => ({ action, ...extra });
const full = (f: DeployFeatures) => !f.limited;
const always = () => true;
const lbHealth = (f: DeployFeatures): Grant[] => [
  ...(f.classicLb ? [g("elasticloadbalancing:DescribeInstanceHealth")] : []),
  ...(f.targetGroups ? [g("elasticloadbalancing:DescribeTargetHealth")] : []),
];

// Groups asg-release made carry the project tag; pre-created groups (limited mode) need not.
const ownGroup = (f: DeployFeatures): Pick<Grant, "condition" | "sid"> =>
  f.project && !f.limited
    ? {
        sid: "AutoScalingProjectGroups",
        condition: { StringEquals: { [`autoscaling:ResourceTag/${f.tags.project}`]: f.project } },
      }
    : {};
const newGroup = (f: DeployFeatures): Pick<Grant, "condition" | "sid"> =>
  f.project
    ? {
        sid: "AutoScalingNewProjectGroups",
        condition: { StringEquals: { [`aws:RequestTag/${f.tags.project}`]: f.project } },
      }
    : {};

/** Tags given in a create call need ec2:CreateTags, which ec2:CreateAction confines to that call. */
export const tagOnCreate = (createAction: string, ...resources: string[]): Grant =>
  g("ec2:CreateTags", {
    resources: resources.map((r) => `arn:aws:ec2:*:*:${r}/*`),
    condition: { StringEquals: { "ec2:CreateAction": createAction } },
    implied: true,
    sid: `Ec2TagOn${createAction}`,
  });

const userDataObjects = (f: DeployFeatures): Grant[] =>
  f.userDataObjects.map((o) => g("s3:GetObject", { resources: [`arn:aws:s3:::${o}`], sid: "S3UserData" }));

// The role inside an instance profile is not known from its name: confined to EC2 instead.
const passRole = (f: DeployFeatures): Grant[] =>
  f.profiles.length > 0
    ? [
        g("iam:PassRole", {
          condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
          implied: true,
          sid: "IamPassRoleToEc2",
        }),
      ]
    : [];

// The hand-off tag on detached instances, and no other key.
const handoffTag = (f: DeployFeatures): Omit<Grant, "action"> => ({
  sid: "Ec2HandoffTag",
  resources: ["arn:aws:ec2:*:*:instance/*"],
  condition: { "ForAllValues:StringEquals": { "aws:TagKeys": [f.tags.handoff] } },
});

// Not annotated itself, so an entry for a kind still being added elsewhere is accepted; the
// annotation of actionPermissions below is what requires an entry for every kind.
const entries = {
  createLaunchTemplate: {
    when: (f) => full(f) && f.launchKinds.includes("template"),
    grants: (f) => [
      g("ec2:CreateLaunchTemplate"),
      tagOnCreate("CreateLaunchTemplate", "launch-template"),
      ...userDataObjects(f),
    ],
  },
  deleteLaunchTemplate: {
    when: (f) => full(f) && f.launchKinds.includes("template"),
    grants: () => [g("ec2:DeleteLaunchTemplate")],
  },
  createLaunchConfiguration: {
    when: (f) => full(f) && f.launchKinds.includes("configuration"),
    grants: (f) => [g("autoscaling:CreateLaunchConfiguration"), ...userDataObjects(f), ...passRole(f)],
  },
  deleteLaunchConfiguration: {
    when: (f) => full(f) && f.launchKinds.includes("configuration"),
    grants: () => [g("autoscaling:DeleteLaunchConfiguration")],
  },
  createGroup: {
    when: full,
    grants: (f) => [
      g("autoscaling:CreateAutoScalingGroup", newGroup(f)),
      // A group on a launch template needs the caller to be allowed to launch from it.
      ...(f.launchKinds.includes("template")
        ? [
            g("ec2:RunInstances", { implied: true }),
            tagOnCreate("RunInstances", "instance", "volume"),
            ...passRole(f),
          ]
        : []),
    ],
  },
  // An existing group's launch hook brought to the environment's settings, and its record tag.
  // DeleteLifecycleHook also when the hook is on: a renamed hook's old name is deleted.
  ensureLifecycleHook: {
    when: full,
    grants: (f) => [
      ...(f.lifecycleHook ? [g("autoscaling:PutLifecycleHook", ownGroup(f))] : []),
      g("autoscaling:DeleteLifecycleHook", ownGroup(f)),
      g("autoscaling:CreateOrUpdateTags", ownGroup(f)),
    ],
  },
  setCapacity: { when: always, grants: (f) => [g("autoscaling:UpdateAutoScalingGroup", ownGroup(f))] },
  attachLbs: {
    when: always,
    grants: (f) => [
      ...(f.classicLb ? [g("autoscaling:AttachLoadBalancers", ownGroup(f))] : []),
      ...(f.targetGroups ? [g("autoscaling:AttachLoadBalancerTargetGroups", ownGroup(f))] : []),
    ],
  },
  detachLbs: {
    when: always,
    grants: (f) => [
      ...(f.classicLb ? [g("autoscaling:DetachLoadBalancers", ownGroup(f))] : []),
      ...(f.targetGroups ? [g("autoscaling:DetachLoadBalancerTargetGroups", ownGroup(f))] : []),
    ],
  },
  waitJoin: {
    when: always,
    grants: (f) => [g("autoscaling:DescribeAutoScalingGroups"), g("ec2:DescribeInstances"), ...lbHealth(f)],
  },
  // Health watched between rollout batches, as waitJoin does.
  bake: {
    when: always,
    grants: (f: DeployFeatures) => [
      g("autoscaling:DescribeAutoScalingGroups"),
      g("ec2:DescribeInstances"),
      ...lbHealth(f),
    ],
  },
  // A kept old slot carries the time it may be retired, as a group tag.
  keepGroup: {
    when: (f: DeployFeatures) => full(f) && f.keepOldSlot,
    grants: (f: DeployFeatures) => [g("autoscaling:CreateOrUpdateTags", ownGroup(f))],
  },
  unkeepGroup: {
    when: (f: DeployFeatures) => full(f) && f.keepOldSlot,
    grants: (f: DeployFeatures) => [g("autoscaling:DeleteTags", ownGroup(f))],
  },
  waitDrained: {
    when: always,
    grants: (f) => [g("autoscaling:DescribeAutoScalingGroups"), ...lbHealth(f)],
  },
  markHandoff: {
    when: (f) => full(f) && f.delegatedDestroy,
    grants: (f) => [g("ec2:CreateTags", handoffTag(f))],
  },
  detachInstances: {
    when: (f) => full(f) && f.delegatedDestroy,
    grants: (f) => [g("autoscaling:DetachInstances", ownGroup(f))],
  },
  // An HTTP POST to the hand-off handler: no AWS call.
  postHandoff: { when: (f) => full(f) && f.delegatedDestroy, grants: () => [] },
  clearHandoff: {
    when: (f) => full(f) && f.delegatedDestroy,
    grants: (f) => [g("ec2:DeleteTags", handoffTag(f))],
  },
  deleteGroup: { when: full, grants: (f) => [g("autoscaling:DeleteAutoScalingGroup", ownGroup(f))] },
  waitGroupGone: { when: full, grants: () => [g("autoscaling:DescribeAutoScalingGroups")] },
  // Only the boot agent's volumes (its managed-by tag); which ones is decided from the instances' tags.
  sweepVolumes: {
    when: full,
    grants: () => [
      g("ec2:DescribeInstances"),
      g("ec2:DescribeVolumes"),
      g("ec2:DeleteVolume", {
        resources: ["arn:aws:ec2:*:*:volume/*"],
        condition: { StringEquals: { [`ec2:ResourceTag/${MANAGED_BY_TAG}`]: MANAGED_BY_AGENT } },
        sid: "Ec2DeleteAgentVolumes",
      }),
    ],
  },
} satisfies Record<string, ActionPermissions>;

export const actionPermissions: { readonly [K in ActionKind]: ActionPermissions } = entries;

/** Reading the state (observe*.ts): the same calls whatever the plan turns out to be. */
export function stateLoadGrants(f: DeployFeatures): Grant[] {
  return [
    g("autoscaling:DescribeAutoScalingGroups"),
    g("ec2:DescribeInstances"),
    ...(f.limited
      ? []
      : [
          ...(f.vpcLookup ? [g("ec2:DescribeVpcs")] : []),
          g("ec2:DescribeSubnets"),
          g("ec2:DescribeSecurityGroups"),
          g("ec2:DescribeLaunchTemplates"),
          ...(f.launchKinds.includes("template") ? [g("ec2:DescribeLaunchTemplateVersions")] : []),
          g("autoscaling:DescribeLaunchConfigurations"),
          ...(f.keyPairs ? [g("ec2:DescribeKeyPairs")] : []),
        ]),
    ...(f.classicLb
      ? [
          g("elasticloadbalancing:DescribeLoadBalancers"),
          g("elasticloadbalancing:DescribeLoadBalancerAttributes"),
          g("elasticloadbalancing:DescribeInstanceHealth"),
        ]
      : []),
    ...(f.targetGroups
      ? [
          g("elasticloadbalancing:DescribeTargetGroups"),
          g("elasticloadbalancing:DescribeLoadBalancers"),
          g("elasticloadbalancing:DescribeTargetGroupAttributes"),
          g("elasticloadbalancing:DescribeTargetHealth"),
        ]
      : []),
    ...(f.ecr ? [g("ecr:GetAuthorizationToken")] : []),
  ];
}

/** The deploy lock (lock.ts): a launch template named asg-release-lock.<project>, tagged with its holder. */
export function lockGrants(): Grant[] {
  return [
    g("ec2:DescribeLaunchTemplates"),
    g("ec2:CreateLaunchTemplate"),
    g("ec2:DeleteLaunchTemplate"),
    tagOnCreate("CreateLaunchTemplate", "launch-template"),
  ];
}

export function deployGrants(f: DeployFeatures): Grant[] {
  const kinds = Object.keys(actionPermissions) as ActionKind[];
  return [
    ...stateLoadGrants(f),
    ...lockGrants(),
    ...kinds.flatMap((k) => (actionPermissions[k].when(f) ? actionPermissions[k].grants(f) : [])),
  ];
}

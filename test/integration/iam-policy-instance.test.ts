// The instance role's generated policy, enforced by the local region: the group's members launch
// with an instance profile whose role holds exactly that policy, and the boot agent runs in-process
// with the role credentials the instance's metadata service hands out (ec2:SourceInstanceARN = the
// instance). The agent reads the S3 pointer, verifies the snapshot, makes, attaches and configures
// its volume and reports to the launch hook without a refusal (a light instance has no block device,
// so the boot ends at the device wait). The same credentials are refused every write on another
// instance, on a volume made for another instance and on an untagged volume.
import {
  AttachVolumeCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteVolumeCommand,
  DetachVolumeCommand,
  ModifyInstanceAttributeCommand,
  waitUntilVolumeAvailable,
  type Tag,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readStatus } from "../../agent/state.js";
import { rolePolicy } from "../../release-server/iam/generate.js";
import type { PolicyDocument } from "../../release-server/iam/policy.js";
import { createAwsClients, type AwsClients } from "#shared/aws/clients.js";
import { loadEnvironment } from "#shared/config/environment.js";
import { parseSource } from "#shared/config/load.js";
import {
  INSTANCE_ARN_TAG,
  INSTANCE_ID_TAG,
  MANAGED_BY_AGENT,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  RELEASE_ID_TAG,
} from "#shared/release/tags.js";
import { bootInProcess, imdsFor, PROJECT, releaseSnapshot } from "../support/agent.js";
import { describeInstance } from "../support/sim.js";
import { useHookedGroup } from "../support/hooked-group.js";

// The role the group's members launch with holds exactly this generated policy.
const { environment } = loadEnvironment([
  parseSource("env.yaml", `vpc: vpc-1\nlaunch_config: {ami: ami-0123456789abcdef0}`).source!,
]);
const policy: PolicyDocument = rolePolicy("instance", {
  environment: environment!,
  pointerObject: "shop-releases/current",
  project: PROJECT,
});

const world = useHookedGroup({
  size: 3,
  dirPrefix: "iam-instance-",
  delays: { volumeAttachMs: 30, volumeCreateMs: 10 },
  instanceRole: { name: "shop-instance", policy },
});

let snapshotId: string;

beforeAll(async () => {
  snapshotId = await releaseSnapshot(world.sim, world.aws, "r1");
  await world.aws.s3.send(new CreateBucketCommand({ Bucket: "shop-releases" }));
  await world.aws.s3.send(
    new PutObjectCommand({ Bucket: "shop-releases", Key: "current", Body: `${snapshotId}\n` }),
  );
  world.sim.enforceInstanceRoles(true);
});

const config = (name: string) => `project: ${PROJECT}
pointer: { s3: { bucket: shop-releases, key: current }, timeout: 5, attempt_timeout: 2 }
volume: { timeout: 3 }
container: { image: "127.0.0.1:1/none:1", cli: podman }
readiness: { check: { tcp: { port: 1 } } }
status_file: ${join(world.dir, name, "status.json")}
fstab_file: ${join(world.dir, name, "fstab")}
`;

const arnOf = (instanceId: string) =>
  `arn:aws:ec2:${world.sim.region}:${world.sim.accountId}:instance/${instanceId}`;

/** Boots one waiting instance in-process with the given credentials (its role's, by default). */
async function boot(name: string, credentials?: { accessKeyId: string; secretAccessKey: string }) {
  const instanceId = await world.waitingInstance();
  const imds = await imdsFor(world.sim, world.aws, instanceId);
  world.sim.resetCallCounts();
  try {
    const creds = credentials ?? world.sim.instanceRoleCredentials(instanceId)!;
    const result = await bootInProcess(world.sim, imds.endpoint, config(name), undefined, creds);
    return {
      result,
      status: await readStatus(join(world.dir, name, "status.json")),
      calls: world.sim.callCounts(),
    };
  } finally {
    await imds.close();
  }
}

describe("instance role policy in a region that enforces it", () => {
  it("lets the agent do every AWS call of a boot with its instance's role credentials", async () => {
    const out = await boot("allowed");
    // Everything AWS was asked succeeded; the boot ends where a light instance has no device.
    expect(out.status?.reason ?? "").not.toMatch(/not authorized|AccessDenied|UnauthorizedOperation/);
    expect(out.status?.reason).toMatch(/^volume: gave up waiting for the block device of vol-/);
    expect(out.status).toMatchObject({ state: "failed", step: "volume", lifecycle: "ABANDON" });
    expect(out.status?.steps.map((s) => `${s.name}:${s.outcome}`)).toEqual([
      "identity:done",
      "pointer:done",
      "volume:failed",
    ]);
    const called = Object.keys(out.calls).filter((op) => (out.calls[op] ?? 0) > 0);
    expect(called).toEqual(
      expect.arrayContaining([
        "s3:GetObject",
        "ec2:DescribeSnapshots",
        "ec2:CreateVolume",
        "ec2:AttachVolume",
        "ec2:DescribeInstances",
        "ec2:ModifyInstanceAttribute",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:CompleteLifecycleAction",
      ]),
    );
  });

  it("without its CreateVolume statements the volume step is refused CreateVolume", async () => {
    const without = {
      ...policy,
      Statement: policy.Statement.filter((s) => !s.Action.includes("ec2:CreateVolume")),
    };
    // The same policy minus CreateVolume, bound to credentials that carry the instance's ARN.
    const instanceId = await world.waitingInstance();
    const creds = world.sim.bindPolicies([without], { "ec2:SourceInstanceARN": arnOf(instanceId) });
    const imds = await imdsFor(world.sim, world.aws, instanceId);
    try {
      await bootInProcess(world.sim, imds.endpoint, config("denied"), undefined, creds);
    } finally {
      await imds.close();
    }
    const status = await readStatus(join(world.dir, "denied", "status.json"));
    expect(status).toMatchObject({ state: "failed", step: "volume", lifecycle: "ABANDON" });
    expect(status?.reason).toContain("not authorized to perform: ec2:CreateVolume");
  });
});

describe("what an instance's role credentials cannot touch", () => {
  let me: string;
  let other: string;
  let zone: string;
  let mine: AwsClients;

  const refused = (p: Promise<unknown>) =>
    p.then(
      () => "allowed",
      (e: { name: string }) => e.name,
    );

  /** An available volume in `at`'s zone (this instance's by default), with these tags (none: untagged). */
  async function volume(tags: Record<string, string> = {}, at = zone): Promise<string> {
    const list: Tag[] = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    const out = await world.aws.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: at,
        Size: 1,
        ...(list.length ? { TagSpecifications: [{ ResourceType: "volume", Tags: list }] } : {}),
      }),
    );
    await waitUntilVolumeAvailable(
      { client: world.aws.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
      { VolumeIds: [out.VolumeId!] },
    );
    return out.VolumeId!;
  }

  const agentTags = (instanceId: string) => ({
    [INSTANCE_ID_TAG]: instanceId,
    [INSTANCE_ARN_TAG]: arnOf(instanceId),
    [PROJECT_TAG]: PROJECT,
    [MANAGED_BY_TAG]: MANAGED_BY_AGENT,
  });

  beforeAll(async () => {
    me = await world.waitingInstance();
    other = await world.waitingInstance();
    zone = (await describeInstance(world.aws, me)).Placement!.AvailabilityZone!;
    mine = createAwsClients({
      region: world.sim.region,
      endpoint: world.sim.endpoint,
      credentials: world.sim.instanceRoleCredentials(me)!,
      maxAttempts: 1,
    });
  });

  it("refuses attaching, detaching, deleting or adopting another instance's volume or an untagged one", async () => {
    const theirs = await volume(agentTags(other));
    const untagged = await volume();
    const onOther = await volume(
      agentTags(other),
      (await describeInstance(world.aws, other)).Placement!.AvailabilityZone!,
    );
    await world.aws.ec2.send(
      new AttachVolumeCommand({ VolumeId: onOther, InstanceId: other, Device: "/dev/sdf" }),
    );
    for (const v of [theirs, untagged]) {
      expect(
        await refused(
          mine.ec2.send(new AttachVolumeCommand({ VolumeId: v, InstanceId: me, Device: "/dev/sdg" })),
        ),
      ).toBe("UnauthorizedOperation");
      expect(await refused(mine.ec2.send(new DeleteVolumeCommand({ VolumeId: v })))).toBe(
        "UnauthorizedOperation",
      );
      // Re-tagging a volume as its own is refused: tags are set only when the volume is made.
      expect(
        await refused(
          mine.ec2.send(
            new CreateTagsCommand({ Resources: [v], Tags: [{ Key: INSTANCE_ARN_TAG, Value: arnOf(me) }] }),
          ),
        ),
      ).toBe("UnauthorizedOperation");
    }
    expect(await refused(mine.ec2.send(new DetachVolumeCommand({ VolumeId: onOther })))).toBe(
      "UnauthorizedOperation",
    );
    expect(
      await refused(mine.ec2.send(new DetachVolumeCommand({ VolumeId: onOther, InstanceId: other }))),
    ).toBe("UnauthorizedOperation");
  });

  it("refuses volumes made for another instance or untagged, and writes on another instance", async () => {
    const create = (tags: Record<string, string>) =>
      mine.ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: zone,
          SnapshotId: snapshotId,
          TagSpecifications: [
            { ResourceType: "volume", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
          ],
        }),
      );
    expect(await refused(create(agentTags(other)))).toBe("UnauthorizedOperation");
    expect(await refused(create({ [PROJECT_TAG]: PROJECT }))).toBe("UnauthorizedOperation");
    expect(await refused(create({ ...agentTags(me), [PROJECT_TAG]: "other-project" }))).toBe(
      "UnauthorizedOperation",
    );
    expect(
      await refused(
        mine.ec2.send(new CreateVolumeCommand({ AvailabilityZone: zone, SnapshotId: snapshotId })),
      ),
    ).toBe("UnauthorizedOperation");
    // Its own volume cannot go onto another instance either.
    const own = await volume(agentTags(me));
    expect(
      await refused(
        mine.ec2.send(new AttachVolumeCommand({ VolumeId: own, InstanceId: other, Device: "/dev/sdh" })),
      ),
    ).toBe("UnauthorizedOperation");
    expect(
      await refused(
        mine.ec2.send(
          new ModifyInstanceAttributeCommand({
            InstanceId: other,
            BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { DeleteOnTermination: true } }],
          }),
        ),
      ),
    ).toBe("UnauthorizedOperation");
    expect(
      await refused(
        mine.ec2.send(
          new CreateTagsCommand({ Resources: [other], Tags: [{ Key: RELEASE_ID_TAG, Value: "r9" }] }),
        ),
      ),
    ).toBe("UnauthorizedOperation");
    // On itself, only the release id tag.
    expect(
      await refused(
        mine.ec2.send(new CreateTagsCommand({ Resources: [me], Tags: [{ Key: "Name", Value: "x" }] })),
      ),
    ).toBe("UnauthorizedOperation");
  });

  it("allows its own: a volume made for itself, attached, configured, detached and deleted", async () => {
    const made = await mine.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: zone,
        SnapshotId: snapshotId,
        TagSpecifications: [
          {
            ResourceType: "volume",
            Tags: Object.entries(agentTags(me)).map(([Key, Value]) => ({ Key, Value })),
          },
        ],
      }),
    );
    const id = made.VolumeId!;
    await waitUntilVolumeAvailable(
      { client: mine.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
      { VolumeIds: [id] },
    );
    await mine.ec2.send(new AttachVolumeCommand({ VolumeId: id, InstanceId: me, Device: "/dev/sdf" }));
    await mine.ec2.send(
      new ModifyInstanceAttributeCommand({
        InstanceId: me,
        BlockDeviceMappings: [{ DeviceName: "/dev/sdf", Ebs: { VolumeId: id, DeleteOnTermination: true } }],
      }),
    );
    await mine.ec2.send(
      new CreateTagsCommand({ Resources: [me], Tags: [{ Key: RELEASE_ID_TAG, Value: "r1" }] }),
    );
    await mine.ec2.send(new DetachVolumeCommand({ VolumeId: id, InstanceId: me }));
    await waitUntilVolumeAvailable(
      { client: mine.ec2, maxWaitTime: 30, minDelay: 0.1, maxDelay: 1 },
      { VolumeIds: [id] },
    );
    await mine.ec2.send(new DeleteVolumeCommand({ VolumeId: id }));
  });
});

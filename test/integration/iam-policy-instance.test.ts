// The instance role's generated policy against the boot agent, in-process on light instances: with
// only its actions allowed the agent reads the S3 pointer, verifies the snapshot, makes, attaches and
// configures its volume and reports to the launch hook without a refusal (a light instance has no
// block device, so the boot ends at the device wait); without CreateVolume it is refused that.
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readStatus } from "../../agent/state.js";
import { rolePolicy } from "../../release-server/iam/generate.js";
import { policyActions } from "../../release-server/iam/policy.js";
import { loadEnvironment } from "#shared/config/environment.js";
import { parseSource } from "#shared/config/load.js";
import { bootInProcess, imdsFor, PROJECT, releaseSnapshot } from "../support/agent.js";
import { useHookedGroup } from "../support/hooked-group.js";

const world = useHookedGroup({ size: 2, dirPrefix: "iam-instance-", delays: { volumeAttachMs: 30 } });
let allowed: string[];

beforeAll(async () => {
  const snapshotId = await releaseSnapshot(world.sim, world.aws, "r1");
  await world.aws.s3.send(new CreateBucketCommand({ Bucket: "shop-releases" }));
  await world.aws.s3.send(
    new PutObjectCommand({ Bucket: "shop-releases", Key: "current", Body: `${snapshotId}\n` }),
  );
  const { environment } = loadEnvironment([
    parseSource("env.yaml", `vpc: vpc-1\nlaunch_config: {ami: ami-0123456789abcdef0}`).source!,
  ]);
  allowed = policyActions(
    rolePolicy("instance", { environment: environment!, pointerObject: "shop-releases/current" }),
  );
});

const config = (name: string) => `project: ${PROJECT}
pointer: { s3: { bucket: shop-releases, key: current }, timeout: 5, attempt_timeout: 2 }
volume: { timeout: 3 }
container: { image: "127.0.0.1:1/none:1", cli: podman }
readiness: { check: { tcp: { port: 1 } } }
status_file: ${join(world.dir, name, "status.json")}
fstab_file: ${join(world.dir, name, "fstab")}
`;

/** Boots one waiting instance with only `actions` allowed; the list is lifted again afterwards. */
async function bootWith(name: string, actions: string[]) {
  const instanceId = await world.waitingInstance();
  const imds = await imdsFor(world.sim, world.aws, instanceId);
  world.sim.setAllowActions(actions);
  world.sim.resetCallCounts();
  try {
    const result = await bootInProcess(world.sim, imds.endpoint, config(name));
    return {
      result,
      status: await readStatus(join(world.dir, name, "status.json")),
      calls: world.sim.callCounts(),
    };
  } finally {
    world.sim.setAllowActions(undefined);
    await imds.close();
  }
}

describe("instance role policy in a region that enforces it", () => {
  it("lets the agent do every AWS call of a boot", async () => {
    const out = await bootWith("allowed", allowed);
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

  it("without ec2:CreateVolume the volume step is refused it", async () => {
    const out = await bootWith(
      "denied",
      allowed.filter((a) => a !== "ec2:CreateVolume"),
    );
    expect(out.status).toMatchObject({ state: "failed", step: "volume", lifecycle: "ABANDON" });
    expect(out.status?.reason).toContain("not authorized to perform: ec2:CreateVolume");
  });
});

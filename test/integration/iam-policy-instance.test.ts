// The instance role's generated policy against the boot agent, in-process on light instances: with
// only its actions allowed the agent reads the S3 pointer, verifies the snapshot, makes, attaches and
// configures its volume and reports to the launch hook without a refusal (a light instance has no
// block device, so the boot ends at the device wait); without CreateVolume it is refused that.
import { CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStatus } from "../../agent/state.js";
import { rolePolicy } from "../../release-server/iam/generate.js";
import { policyActions } from "../../release-server/iam/policy.js";
import type { AwsClients } from "../../shared/aws/clients.js";
import { loadEnvironment } from "../../shared/config/environment.js";
import { parseSource } from "../../shared/config/load.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { createTemplate, defaultSubnets, describeGroup, waitFor } from "../helpers/autoscaling.js";
import { simClients } from "../helpers/sim.js";
import { bootInProcess, imdsFor, PROJECT, releaseSnapshot } from "./agent-support.js";

let sim: SimHandle;
let aws: AwsClients;
let dir: string;
let allowed: string[];
const used = new Set<string>();

beforeAll(async () => {
  sim = await startSim({
    hostKind: "light",
    delays: {
      instancePendingMs: 30,
      instanceShutdownMs: 30,
      asgReconcileMs: 40,
      snapshotMs: 30,
      volumeAttachMs: 30,
    },
  });
  aws = simClients(sim, { maxAttempts: 1 });
  dir = await mkdtemp(join(tmpdir(), "iam-instance-"));
  const lt = await createTemplate(aws, "web");
  await aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "web",
      MinSize: 2,
      MaxSize: 2,
      DesiredCapacity: 2,
      LaunchTemplate: { LaunchTemplateId: lt, Version: "$Latest" },
      VPCZoneIdentifier: (await defaultSubnets(aws)).ids.join(","),
      LifecycleHookSpecificationList: [
        {
          LifecycleHookName: "ready",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: 600,
        },
      ],
    }),
  );
  const snapshotId = await releaseSnapshot(sim, aws, "r1");
  await aws.s3.send(new CreateBucketCommand({ Bucket: "shop-releases" }));
  await aws.s3.send(
    new PutObjectCommand({ Bucket: "shop-releases", Key: "current", Body: `${snapshotId}\n` }),
  );
  const { environment } = loadEnvironment([
    parseSource("env.yaml", `vpc: vpc-1\nlaunch_config: {ami: ami-0123456789abcdef0}`).source!,
  ]);
  allowed = policyActions(
    rolePolicy("instance", { environment: environment!, pointerObject: "shop-releases/current" }),
  );
});
afterAll(async () => {
  aws?.destroy();
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function waitingInstance(): Promise<string> {
  const g = await waitFor(
    () => describeGroup(aws, "web"),
    (g) => (g?.Instances ?? []).some((i) => i.LifecycleState === "Pending:Wait" && !used.has(i.InstanceId!)),
    "a new instance in Pending:Wait",
  );
  const id = g!.Instances!.find(
    (i) => i.LifecycleState === "Pending:Wait" && !used.has(i.InstanceId!),
  )!.InstanceId!;
  used.add(id);
  return id;
}

const config = (name: string) => `project: ${PROJECT}
pointer: { s3: { bucket: shop-releases, key: current }, timeout: 5, attempt_timeout: 2 }
volume: { timeout: 3 }
container: { image: "127.0.0.1:1/none:1", cli: podman }
readiness: { check: { tcp: { port: 1 } } }
status_file: ${join(dir, name, "status.json")}
fstab_file: ${join(dir, name, "fstab")}
`;

/** Boots one waiting instance with only `actions` allowed; the list is lifted again afterwards. */
async function bootWith(name: string, actions: string[]) {
  const instanceId = await waitingInstance();
  const imds = await imdsFor(sim, aws, instanceId);
  sim.setAllowActions(actions);
  sim.resetCallCounts();
  try {
    const result = await bootInProcess(sim, imds.endpoint, config(name));
    return { result, status: await readStatus(join(dir, name, "status.json")), calls: sim.callCounts() };
  } finally {
    sim.setAllowActions(undefined);
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

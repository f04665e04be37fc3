// Bad pointers in the local region: an unreachable release server, garbage, an id that names no
// snapshot, another account's snapshot, a pending snapshot and one that is not a release. Each ends
// in a clear failure, the launch hook ABANDONed, and no volume made (so nothing is ever mounted).
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingInstancesCommand,
} from "@aws-sdk/client-auto-scaling";
import { DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStatus } from "../../agent/state.js";
import type { AwsClients } from "../../shared/aws/clients.js";
import { INSTANCE_ID_TAG } from "../../shared/release/tags.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { FOREIGN_ACCOUNT_ID } from "../../sim/services/ec2/control.js";
import { createTemplate, defaultSubnets, describeGroup, waitFor } from "../helpers/autoscaling.js";
import { simClients } from "../helpers/sim.js";
import {
  bootInProcess,
  imdsFor,
  PROJECT,
  releaseSnapshot,
  simControl,
  startPointerServer,
  treeHashOf,
  type PointerServer,
} from "./agent-support.js";

let sim: SimHandle;
let aws: AwsClients;
let server: PointerServer;
let dir: string;
const used = new Set<string>();

beforeAll(async () => {
  sim = await startSim({
    hostKind: "light",
    delays: { instancePendingMs: 30, instanceShutdownMs: 30, asgReconcileMs: 40, snapshotMs: 30 },
  });
  aws = simClients(sim, { maxAttempts: 1 });
  server = await startPointerServer();
  dir = await mkdtemp(join(tmpdir(), "agent-pointer-"));
  const lt = await createTemplate(aws, "web");
  await aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "web",
      MinSize: 1,
      MaxSize: 1,
      DesiredCapacity: 1,
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
});
afterAll(async () => {
  await server?.close();
  aws?.destroy();
  await sim?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A new member of the group, held by the launch hook. */
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

const config = (url: string, name: string, s3 = "") => `project: ${PROJECT}
pointer: { url: "${url}", timeout: 2, attempt_timeout: 1${s3} }
container: { image: "127.0.0.1:1/none:1", cli: podman }
readiness: { check: { tcp: { port: 1 } } }
status_file: ${join(dir, name, "status.json")}
fstab_file: ${join(dir, name, "fstab")}
`;

async function bootExpectingFailure(name: string, url: string, s3?: { bucket: string; key: string }) {
  const instanceId = await waitingInstance();
  const imds = await imdsFor(sim, aws, instanceId);
  try {
    const s3Yaml = s3 ? `, s3: { bucket: ${s3.bucket}, key: ${s3.key} }` : "";
    const result = await bootInProcess(sim, imds.endpoint, config(url, name, s3Yaml));
    const status = await readStatus(join(dir, name, "status.json"));
    const volumes = await aws.ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: `tag:${INSTANCE_ID_TAG}`, Values: [instanceId] }] }),
    );
    const state = await waitFor(
      async () =>
        (await aws.autoscaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] })))
          .AutoScalingInstances?.[0]?.LifecycleState,
      (s) => s === undefined || s.startsWith("Terminat"),
      `${instanceId} to leave after ABANDON`,
    );
    return { result, status, volumes: volumes.Volumes ?? [], state };
  } finally {
    await imds.close();
  }
}

function expectAbandoned(out: Awaited<ReturnType<typeof bootExpectingFailure>>, reason: string) {
  expect(out.result.error?.message).toContain(reason);
  expect(out.status).toMatchObject({ state: "failed", step: "pointer", lifecycle: "ABANDON", exitCode: 1 });
  expect(out.status?.reason).toContain(reason);
  expect(out.status?.steps.map((s) => `${s.name}:${s.outcome}`)).toEqual(["identity:done", "pointer:failed"]);
  expect(out.volumes).toEqual([]);
  // The failure is one log line with the reason and what was done about the hook.
  expect(out.result.logs.find((l) => l.msg === "boot failed")).toMatchObject({
    step: "pointer",
    lifecycle: "ABANDON",
  });
}

describe("bad release pointers", () => {
  it("an unreachable release server: retries until the deadline, then fails", async () => {
    const out = await bootExpectingFailure("unreachable", "http://127.0.0.1:1");
    expectAbandoned(
      out,
      "no usable release pointer: gave up waiting for the release pointer from http://127.0.0.1:1",
    );
    expect(out.result.error?.message).toContain("ECONNREFUSED");
  });

  it("garbage instead of a snapshot id", async () => {
    server.set({ "/snap.txt": [200, "<html>Service Unavailable</html>"] });
    const out = await bootExpectingFailure("garbage", server.url);
    expectAbandoned(
      out,
      `${server.url}/snap.txt: expected a snapshot id like "snap-0123456789abcdef0", got "<html>Service Unavailable</html>"`,
    );
  });

  it("a well-formed id that names no snapshot", async () => {
    server.set({ "/snap.txt": [200, "snap-0123456789abcdef0\n"] });
    const out = await bootExpectingFailure("missing", server.url);
    expectAbandoned(out, "snapshot snap-0123456789abcdef0 is not a usable release: InvalidSnapshot.NotFound");
  });

  it("another account's snapshot, even tagged as our release", async () => {
    const foreign = await simControl(sim, "/_sim/ec2/foreign-snapshot", {
      tags: { "asg-release:project": PROJECT, "asg-release:release-id": "r9" },
    });
    server.set({ "/snap.txt": [200, String(foreign.snapshotId)] });
    const out = await bootExpectingFailure("foreign", server.url);
    expectAbandoned(out, `owned by account ${FOREIGN_ACCOUNT_ID}, expected ${sim.accountId}`);
  });

  it("a snapshot still pending", async () => {
    const id = await releaseSnapshot(sim, aws, "r2", { wait: false });
    await simControl(sim, "/_sim/ec2/snapshot-state", { snapshotId: id, state: "pending", progress: "40%" });
    server.set({
      "/v1/release": [
        200,
        JSON.stringify({
          releaseId: "r2",
          snapshotId: id,
          treeHash: treeHashOf("r2"),
          time: "2026-01-01T00:00:00Z",
        }),
      ],
    });
    const out = await bootExpectingFailure("pending", server.url);
    expectAbandoned(out, `snapshot ${id} is not a usable release: its state is pending, expected completed`);
  });

  it("a snapshot of ours that is not a release", async () => {
    const id = await releaseSnapshot(sim, aws, "r3", { tags: false });
    server.set({ "/snap.txt": [200, id] });
    const out = await bootExpectingFailure("untagged", server.url);
    expectAbandoned(out, "it has no asg-release:project tag, so it is not a release");
  });

  it("falls back to the S3 pointer when the server does not answer, and verifies what it says", async () => {
    const id = await releaseSnapshot(sim, aws, "r4", { tags: false });
    await aws.s3.send(new CreateBucketCommand({ Bucket: "shop-releases" }));
    await aws.s3.send(new PutObjectCommand({ Bucket: "shop-releases", Key: "current", Body: `${id}\n` }));
    const out = await bootExpectingFailure("s3", "http://127.0.0.1:1", {
      bucket: "shop-releases",
      key: "current",
    });
    expectAbandoned(out, `snapshot ${id} is not a usable release: it has no asg-release:project tag`);
    expect(out.result.logs.some((l) => l.msg === "release server did not answer; trying S3")).toBe(true);
  });
});

// Bad pointers in the local region: an unreachable release server, garbage, an id that names no
// snapshot, another account's snapshot, a pending snapshot and one that is not a release. Each ends
// in a clear failure, the launch hook ABANDONed, and no volume made (so nothing is ever mounted).
import { DescribeAutoScalingInstancesCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStatus } from "../../agent/state.js";
import { INSTANCE_ID_TAG } from "#shared/release/tags.js";
import { FOREIGN_ACCOUNT_ID } from "../../sim/services/ec2/control.js";
import { waitFor } from "../support/autoscaling.js";
import {
  bootInProcess,
  imdsFor,
  PROJECT,
  releaseSnapshot,
  simControl,
  startPointerServer,
  treeHashOf,
  type PointerServer,
} from "../support/agent.js";
import { useHookedGroup } from "../support/hooked-group.js";

const world = useHookedGroup({ size: 1, dirPrefix: "agent-pointer-" });
let server: PointerServer;

beforeAll(async () => {
  server = await startPointerServer();
});
afterAll(() => server?.close());

const config = (url: string, name: string, s3 = "") => `project: ${PROJECT}
pointer: { url: "${url}", timeout: 2, attempt_timeout: 1${s3} }
container: { image: "127.0.0.1:1/none:1", cli: podman }
readiness: { check: { tcp: { port: 1 } } }
status_file: ${join(world.dir, name, "status.json")}
fstab_file: ${join(world.dir, name, "fstab")}
`;

async function bootExpectingFailure(name: string, url: string, s3?: { bucket: string; key: string }) {
  const instanceId = await world.waitingInstance();
  const imds = await imdsFor(world.sim, world.aws, instanceId);
  try {
    const s3Yaml = s3 ? `, s3: { bucket: ${s3.bucket}, key: ${s3.key} }` : "";
    const result = await bootInProcess(world.sim, imds.endpoint, config(url, name, s3Yaml));
    const status = await readStatus(join(world.dir, name, "status.json"));
    const volumes = await world.aws.ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: `tag:${INSTANCE_ID_TAG}`, Values: [instanceId] }] }),
    );
    const state = await waitFor(
      async () =>
        (
          await world.aws.autoscaling.send(
            new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] }),
          )
        ).AutoScalingInstances?.[0]?.LifecycleState,
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
    const foreign = await simControl(world.sim, "/_sim/ec2/foreign-snapshot", {
      tags: { "asg-release:project": PROJECT, "asg-release:release-id": "r9" },
    });
    server.set({ "/snap.txt": [200, String(foreign.snapshotId)] });
    const out = await bootExpectingFailure("foreign", server.url);
    expectAbandoned(out, `owned by account ${FOREIGN_ACCOUNT_ID}, expected ${world.sim.accountId}`);
  });

  it("a snapshot still pending", async () => {
    const id = await releaseSnapshot(world.sim, world.aws, "r2", { wait: false });
    await simControl(world.sim, "/_sim/ec2/snapshot-state", {
      snapshotId: id,
      state: "pending",
      progress: "40%",
    });
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
    const id = await releaseSnapshot(world.sim, world.aws, "r3", { tags: false });
    server.set({ "/snap.txt": [200, id] });
    const out = await bootExpectingFailure("untagged", server.url);
    expectAbandoned(out, "it has no asg-release:project tag, so it is not a release");
  });

  it("falls back to the S3 pointer when the server does not answer, and verifies what it says", async () => {
    const id = await releaseSnapshot(world.sim, world.aws, "r4", { tags: false });
    await world.aws.s3.send(new CreateBucketCommand({ Bucket: "shop-releases" }));
    await world.aws.s3.send(
      new PutObjectCommand({ Bucket: "shop-releases", Key: "current", Body: `${id}\n` }),
    );
    const out = await bootExpectingFailure("s3", "http://127.0.0.1:1", {
      bucket: "shop-releases",
      key: "current",
    });
    expectAbandoned(out, `snapshot ${id} is not a usable release: it has no asg-release:project tag`);
    expect(out.result.logs.some((l) => l.msg === "release server did not answer; trying S3")).toBe(true);
  });
});

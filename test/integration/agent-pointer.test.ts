// Bad pointers in the local region: an unreachable release server, garbage, an id that names no
// snapshot, another account's snapshot, a pending snapshot and one that is not a release. Each ends
// in a clear failure, the launch hook ABANDONed, and no volume made (so nothing is ever mounted).
// Then signed pointers: a forged or replayed one is refused, a signed rollback taken, /snap.txt
// never read; HTTPS with a pinned certificate or a CA file; a dripping or oversized answer cut off.
import { DescribeAutoScalingInstancesCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStatus } from "../../agent/state.js";
import { INSTANCE_ID_TAG } from "#shared/release/tags.js";
import { generateSigningKeyPair, privateKeyFrom } from "#shared/release/pointer-signature.js";
import { FOREIGN_ACCOUNT_ID } from "../../sim/services/ec2/control.js";
import { waitFor } from "../support/autoscaling.js";
import {
  bootInProcess,
  imdsFor,
  pointTo,
  PROJECT,
  releaseSnapshot,
  simControl,
  startPointerServer,
  treeHashOf,
  type PointerServer,
} from "../support/agent.js";
import { useHookedGroup } from "../support/hooked-group.js";
import { selfSignedCert, type TestCert } from "../support/tls.js";

const world = useHookedGroup({ size: 1, dirPrefix: "agent-pointer-" });
let server: PointerServer;

beforeAll(async () => {
  server = await startPointerServer();
});
afterAll(() => server?.close());

const config = (url: string, name: string, s3 = "") => `project: ${PROJECT}
pointer: { url: "${url}", timeout: 2, attempt_timeout: 1${s3} }
volume: { timeout: 1 }
container: { image: "127.0.0.1:1/none:1", cli: podman }
readiness: { check: { tcp: { port: 1 } } }
status_file: ${join(world.dir, name, "status.json")}
fstab_file: ${join(world.dir, name, "fstab")}
`;

async function bootExpectingFailure(
  name: string,
  url: string,
  s3?: { bucket: string; key: string },
  pointerYaml = "",
) {
  const instanceId = await world.waitingInstance();
  const imds = await imdsFor(world.sim, world.aws, instanceId);
  try {
    const s3Yaml = s3 ? `, s3: { bucket: ${s3.bucket}, key: ${s3.key} }` : "";
    const result = await bootInProcess(
      world.sim,
      imds.endpoint,
      config(url, name, `${s3Yaml}${pointerYaml}`),
    );
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

describe("signed pointers", () => {
  const T = (day: number) => `2026-01-0${day}T00:00:00.000Z`;
  /** The instance's memory of the pointer it last ran, as an earlier boot leaves it. */
  const ranBefore = async (name: string, last: { sequence: number; releaseId: string; time: string }) => {
    await mkdir(join(world.dir, name), { recursive: true });
    await writeFile(stateFile(name), JSON.stringify(last));
  };
  const stateFile = (name: string) => join(world.dir, name, "pointer-state.json");
  const keyed = (name: string, extra = "") =>
    `, public_key: "${server.publicKey}", state_file: ${stateFile(name)}${extra}`;
  const serve = (doc: unknown) => server.set({ "/v1/release": [200, JSON.stringify(doc)] });
  const fieldsOf = (releaseId: string, snapshotId: string, time: string) => ({
    releaseId,
    snapshotId,
    treeHash: treeHashOf(releaseId),
    time,
  });
  const pointerDone = (out: Awaited<ReturnType<typeof bootExpectingFailure>>) =>
    out.status?.steps.find((st) => st.name === "pointer");

  it("refuses a pointer whose signed fields were changed, and one signed by another key", async () => {
    const id = await releaseSnapshot(world.sim, world.aws, "s1");
    serve({ ...server.sign(fieldsOf("s1", "snap-0123456789abcdef0", T(1))), snapshotId: id });
    const out = await bootExpectingFailure("forged", server.url, undefined, keyed("forged"));
    expectAbandoned(
      out,
      `${server.url}/v1/release: the pointer is not trusted: its signature does not verify with the configured public key`,
    );
    const other = privateKeyFrom(generateSigningKeyPair().privatePem);
    serve(server.sign(fieldsOf("s1", id, T(1)), other));
    const again = await bootExpectingFailure("other-key", server.url, undefined, keyed("other-key"));
    expectAbandoned(again, "its signature does not verify with the configured public key");
  });

  it("refuses an unsigned pointer and never falls back to /snap.txt", async () => {
    const id = await releaseSnapshot(world.sim, world.aws, "s2");
    serve(fieldsOf("s2", id, T(2)));
    expectAbandoned(
      await bootExpectingFailure("unsigned", server.url, undefined, keyed("unsigned")),
      "the pointer is not trusted: it is not signed",
    );
    server.set({ "/snap.txt": [200, `${id}\n`] });
    const out = await bootExpectingFailure("no-snap-txt", server.url, undefined, keyed("no-snap-txt"));
    expectAbandoned(out, `GET ${server.url}/v1/release: HTTP 404`);
    expect(JSON.stringify(out.result.logs)).not.toContain("/snap.txt");
  });

  it("refuses a replayed older pointer, even one once signed as a rollback", async () => {
    const id = await releaseSnapshot(world.sim, world.aws, "s3");
    await ranBefore("replay", { sequence: 5, releaseId: "s5", time: T(5) });
    serve(server.sign({ ...fieldsOf("s3", id, T(3)), sequence: 3, rollback: true }));
    expectAbandoned(
      await bootExpectingFailure("replay", server.url, undefined, keyed("replay")),
      "its sequence 3 is lower than 5, which this instance ran (release s5): an older pointer replayed",
    );
  });

  it("takes an older release only as a signed rollback, and remembers its sequence", async () => {
    const id = await releaseSnapshot(world.sim, world.aws, "s4");
    await ranBefore("not-rollback", { sequence: 5, releaseId: "s5", time: T(5) });
    serve(server.sign({ ...fieldsOf("s4", id, T(4)), sequence: 6 }));
    expectAbandoned(
      await bootExpectingFailure("not-rollback", server.url, undefined, keyed("not-rollback")),
      "it names release s4 of 2026-01-04T00:00:00.000Z, older than s5 of 2026-01-05T00:00:00.000Z which this instance ran, without being a rollback",
    );
    await ranBefore("rollback", { sequence: 5, releaseId: "s5", time: T(5) });
    serve(server.sign({ ...fieldsOf("s4", id, T(4)), sequence: 7, rollback: true }));
    const out = await bootExpectingFailure("rollback", server.url, undefined, keyed("rollback"));
    expect(pointerDone(out)).toMatchObject({
      outcome: "done",
      detail: `release s4 = ${id} from ${server.url}/v1/release`,
    });
    expect(JSON.parse(await readFile(stateFile("rollback"), "utf8"))).toMatchObject({
      sequence: 7,
      releaseId: "s4",
    });
  });

  it("refuses an image digest added to a signed pointer", async () => {
    const id = await releaseSnapshot(world.sim, world.aws, "s6");
    const digest = `sha256:${"d".repeat(64)}`;
    serve({ ...server.sign(fieldsOf("s6", id, T(6))), imageDigest: digest });
    expectAbandoned(
      await bootExpectingFailure("digest", server.url, undefined, keyed("digest")),
      "its signature does not verify",
    );
  });
});

describe("the pointer over HTTPS", () => {
  let tlsServer: PointerServer;
  let cert: TestCert;
  beforeAll(async () => {
    cert = await selfSignedCert(world.dir);
    tlsServer = await startPointerServer({ tls: { cert: cert.cert, key: cert.key } });
  });
  afterAll(() => tlsServer?.close());

  const keyed = (name: string, tls: string) =>
    `, public_key: "${tlsServer.publicKey}", state_file: ${join(world.dir, name, "pointer-state.json")}, tls: ${tls}`;

  it("is read with a pinned certificate fingerprint, or a CA file", async () => {
    const id = await releaseSnapshot(world.sim, world.aws, "t1");
    pointTo(tlsServer, "t1", id);
    for (const [name, tls] of [
      ["pinned", `{ fingerprint: "${cert.fingerprint}" }`],
      ["ca-file", `{ ca_file: ${cert.certFile} }`],
    ] as const) {
      const out = await bootExpectingFailure(name, tlsServer.url, undefined, keyed(name, tls));
      expect(out.status?.steps.find((st) => st.name === "pointer")).toMatchObject({
        outcome: "done",
        detail: `release t1 = ${id} from ${tlsServer.url}/v1/release`,
      });
    }
  });

  it("refuses a server whose certificate is not the pinned one", async () => {
    const other = await selfSignedCert(world.dir, "other");
    const out = await bootExpectingFailure(
      "wrong-pin",
      tlsServer.url,
      undefined,
      keyed("wrong-pin", `{ fingerprint: "${other.fingerprint}" }`),
    );
    expectAbandoned(
      out,
      `presented a certificate with SHA-256 fingerprint ${cert.fingerprint}, expected ${other.fingerprint}`,
    );
  });
});

describe("answers that never end or never stop", () => {
  it("a dripping answer is cut off at the request's deadline", async () => {
    const drips = new Set<NodeJS.Timeout>();
    server.set({
      "/v1/release": (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("{");
        const t = setInterval(() => res.write(" "), 100);
        drips.add(t);
        res.on("close", () => clearInterval(t));
      },
    });
    try {
      const out = await bootExpectingFailure("drip", server.url);
      expectAbandoned(out, `GET ${server.url}/v1/release: no complete answer within 1 s`);
    } finally {
      for (const t of drips) clearInterval(t);
    }
  });

  it("an S3 pointer object over 64 KiB is refused", async () => {
    await world.aws.s3.send(
      new PutObjectCommand({ Bucket: "shop-releases", Key: "huge", Body: "x".repeat(80 * 1024) }),
    );
    const out = await bootExpectingFailure("huge-s3", "http://127.0.0.1:1", {
      bucket: "shop-releases",
      key: "huge",
    });
    expectAbandoned(out, "s3://shop-releases/huge: the object is larger than 64 KiB, which no pointer is");
  });

  it("an answer over 64 KiB is refused", async () => {
    server.set({ "/v1/release": [200, `{"releaseId":"${"x".repeat(80 * 1024)}"}`] });
    expectAbandoned(
      await bootExpectingFailure("huge", server.url),
      `${server.url}/v1/release: the answer is larger than 64 KiB, which no pointer is`,
    );
  });
});

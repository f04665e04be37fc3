// The release server's HTTP API for real, on 127.0.0.1 with a free port; then the signed pointer,
// and the API over HTTPS with a certificate made by openssl.
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTokenFile } from "../../release-server/api/auth.js";
import { Metrics } from "../../release-server/api/metrics.js";
import { PointerStore } from "../../release-server/api/pointer-store.js";
import { readTls, startApi, type ApiServer } from "../../release-server/api/server.js";
import type { ProgressEvent } from "../../release-server/publish/report.js";
import { request } from "undici";
import { tlsDispatcher, type TlsTrust } from "#shared/http/tls-dispatcher.js";
import { silentLogger } from "#shared/log.js";
import { parsePointer } from "#shared/release/pointer.js";
import {
  generateSigningKeyPair,
  hasValidSignature,
  keyIdOf,
  privateKeyFrom,
  publicKeyFrom,
} from "#shared/release/pointer-signature.js";
import { selfSignedCert, type TestCert } from "../support/tls.js";
import { getJson, resolveServer } from "../../cli/server-client.js";

const TOKEN = "t0ken-for-the-api-test-0123456789";

/** The asg-release CLI as a process; resolves its exit code and output, whatever the code. */
function cliRun(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(import.meta.dirname, "..", "..", "bin", "asg-release.js"), ...args],
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}
const fields = (n: number) => ({
  releaseId: `r${n}`,
  snapshotId: `snap-0${n}`,
  treeHash: String(n).repeat(64),
  time: `2025-01-0${n}T00:00:00.000Z`,
});
/** As served: the n-th publish of this file's store has sequence n (no signing key there). */
const pointer = (n: number) => ({ ...fields(n), sequence: n });

let dir: string;
let api: ApiServer;
let pointers: PointerStore;
const metrics = new Metrics();
let publishes = 0;
let lastOptions: unknown;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "api-"));
  pointers = new PointerStore(join(dir, "pointer.json"));
  const tokenFile = join(dir, "token");
  await writeFile(tokenFile, `${TOKEN}\n`);
  await chmod(tokenFile, 0o600);
  api = await startApi(
    {
      pointers,
      metrics,
      token: await readTokenFile(tokenFile),
      status: () => ({ current: pointers.current() ?? null }),
      requestPublish: async (onEvent: (e: ProgressEvent) => void, opts) => {
        publishes++;
        lastOptions = opts;
        onEvent({ type: "step", step: "synced", status: "done" });
        return { result: "unchanged", startedAt: "2025-01-01T00:00:00.000Z", durationMs: 5, members: [] };
      },
      log: silentLogger,
    },
    { host: "127.0.0.1", port: 0 },
  );
});
afterAll(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(`${api.url}${path}`, init);

describe("before any release", () => {
  it("/snap.txt answers 503, never a body that could pass for an id", async () => {
    const res = await get("/snap.txt");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.text()).toBe("no release published yet\n");
  });
  it("/v1/release answers 503", async () => {
    expect((await get("/v1/release")).status).toBe(503);
  });
});

describe("the pointer", () => {
  beforeAll(async () => {
    await pointers.publish(fields(1));
  });

  it("/snap.txt is the plain snapshot id, as a boot script reads it (docs/spec/release.md#pointer)", async () => {
    const res = await get("/snap.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(await res.text()).toBe("snap-01\n");
  });
  it("/v1/release is the JSON pointer with the release id as ETag", async () => {
    const res = await get("/v1/release");
    expect(res.headers.get("etag")).toBe('"r1"');
    expect(await res.json()).toEqual(pointer(1));
  });
  it("answers 304 to If-None-Match of the current release", async () => {
    expect((await get("/v1/release", { headers: { "if-none-match": '"r1"' } })).status).toBe(304);
  });
  it("is persisted, so a restarted server serves it", async () => {
    expect(await new PointerStore(join(dir, "pointer.json")).load()).toEqual(pointer(1));
  });
  it("a long-poll returns at once when the pointer differs from `after`", async () => {
    expect(await (await get("/v1/release?wait=60&after=r0")).json()).toEqual(pointer(1));
  });
  it("a long-poll returns when a new release is published", async () => {
    const pending = get("/v1/release?wait=60&after=r1");
    while (pointers.waiting() === 0) await sleep(5);
    await pointers.publish(fields(2));
    expect(await (await pending).json()).toEqual(pointer(2));
    expect(pointers.waiting()).toBe(0);
  });
  it("a long-poll that sees no change returns the current pointer", async () => {
    expect(await (await get("/v1/release?wait=0&after=r2")).json()).toEqual(pointer(2));
  });
});

describe("write endpoints", () => {
  it("refuse a request without a token", async () => {
    const res = await get("/v1/publish", { method: "POST" });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="asg-release"');
  });
  it("refuse a wrong token", async () => {
    const res = await get("/v1/publish", { method: "POST", headers: { authorization: "Bearer nope" } });
    expect(res.status).toBe(401);
    expect(publishes).toBe(0);
  });
  it("stream progress and the report as JSON lines with the right token", async () => {
    const res = await get("/v1/publish", { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.headers.get("content-type")).toBe("application/x-ndjson");
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as ProgressEvent);
    expect(lines.map((l) => l.type)).toEqual(["step", "result"]);
    expect(publishes).toBe(1);
  });
  it("pass an operator's publish on as explicit, with a rollback's release id when given", async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    await (await get("/v1/publish", { method: "POST", headers: auth })).text();
    expect(lastOptions).toEqual({ explicit: true });
    await (
      await get("/v1/publish?rollback_to=20250101-000000-aaaaaaaa", { method: "POST", headers: auth })
    ).text();
    expect(lastOptions).toEqual({ explicit: true, rollbackTo: "20250101-000000-aaaaaaaa" });
  });
  it("refuse a rollback without a token, or to something that is not a release id", async () => {
    const before = publishes;
    expect((await get("/v1/publish?rollback_to=r1", { method: "POST" })).status).toBe(401);
    const bad = await get(`/v1/publish?rollback_to=${encodeURIComponent("../x y")}`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bad.status).toBe(400);
    expect(publishes).toBe(before);
  });
  it("asg-release publish with a wrong token shows no progress and exits 2; with the right one it shows the steps", async () => {
    const before = publishes;
    const wrong = join(dir, "wrong-token");
    await writeFile(wrong, "a-wrong-token-0123456789\n", { mode: 0o600 });
    const refused = await cliRun(["publish", "--server", api.url, "--token-file", wrong]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toBe(
      `error: POST ${api.url}/v1/publish: HTTP 401: {"error":"a valid bearer token is required"}; check the token file\n`,
    );
    expect(publishes).toBe(before);
    const ok = await cliRun(["publish", "--server", api.url, "--token-file", join(dir, "token")]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("✔ Sync the tree into the release volume, manifest last");
    expect(ok.stdout).toContain("nothing to publish: the tree is release");
    expect(publishes).toBe(before + 1);
  });
  it("GET is not allowed on them", async () => {
    const res = await get("/v1/publish");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});

describe("operations endpoints", () => {
  it("/healthz answers ok", async () => {
    expect(await (await get("/healthz")).text()).toBe("ok\n");
  });
  it("/metrics is Prometheus text with publishes, durations, pushes and stragglers", async () => {
    metrics.recordPublish("published", 12, new Date(1_700_000_000_000));
    metrics.recordPush("ok");
    metrics.setFleet(3, 1);
    metrics.setCurrent("r2", "snap-02");
    const text = await (await get("/metrics")).text();
    for (const line of [
      'asg_release_publishes_total{result="published"} 1',
      'asg_release_publish_duration_seconds_bucket{le="15"} 1',
      'asg_release_publish_duration_seconds_bucket{le="5"} 0',
      "asg_release_publish_duration_seconds_count 1",
      'asg_release_fanout_pushes_total{result="ok"} 1',
      "asg_release_stragglers 1",
      'asg_release_current_release_info{release_id="r2",snapshot_id="snap-02"} 1',
    ]) {
      expect(text).toContain(`${line}\n`);
    }
  });
  it("/v1/status is JSON", async () => {
    expect(await (await get("/v1/status")).json()).toEqual({ current: pointer(2) });
  });
  it("unknown paths answer 404", async () => {
    expect((await get("/nope")).status).toBe(404);
  });
});

describe("token file", () => {
  it("refuses a file others can read", async () => {
    const f = join(dir, "open-token");
    await writeFile(f, TOKEN);
    await chmod(f, 0o644);
    await expect(readTokenFile(f)).rejects.toThrow(`token file ${f} is readable by others; chmod 600 it`);
  });
});

describe("the signed pointer", () => {
  const pair = generateSigningKeyPair();
  const key = privateKeyFrom(pair.privatePem);
  const pub = publicKeyFrom(pair.publicRaw);
  let signedApi: ApiServer;
  let store: PointerStore;
  const file = () => join(dir, "signed-pointer.json");
  beforeAll(async () => {
    store = new PointerStore(file(), undefined, key);
    signedApi = await startApi(
      {
        pointers: store,
        metrics,
        status: () => ({}),
        requestPublish: async () => never(),
        log: silentLogger,
      },
      { host: "127.0.0.1", port: 0 },
    );
  });
  afterAll(() => signedApi?.close());

  it("/v1/release serves the document the file holds, signed over its fields", async () => {
    await store.publish(fields(1));
    const served = parsePointer(await (await fetch(`${signedApi.url}/v1/release`)).text());
    expect(served).toMatchObject({ ...fields(1), sequence: 1, keyId: keyIdOf(pub) });
    expect(hasValidSignature(served!, pub)).toBe(true);
    expect(JSON.parse(await readFile(file(), "utf8"))).toEqual(served);
  });

  it("/snap.txt stays the plain, unsigned snapshot id", async () => {
    expect(await (await fetch(`${signedApi.url}/snap.txt`)).text()).toBe("snap-01\n");
  });

  it("keeps growing its sequence after a restart, and signs a rollback as one", async () => {
    const restarted = new PointerStore(file(), undefined, key);
    await restarted.load();
    expect(await restarted.publish(fields(2))).toMatchObject({ releaseId: "r2", sequence: 2 });
    const back = await restarted.publish({ ...fields(1), rollback: true });
    expect(back).toMatchObject({ releaseId: "r1", sequence: 3, rollback: true });
    expect(hasValidSignature(back, pub)).toBe(true);
    expect(hasValidSignature({ ...back, rollback: false }, pub)).toBe(false);
  });

  it("signs again, with the next sequence, a pointer from before the key or from another key", async () => {
    const older = join(dir, "unsigned-pointer.json");
    await new PointerStore(older).publish(fields(3));
    const store = new PointerStore(older, undefined, key);
    await store.load();
    const signed = await store.ensureSigned();
    expect(signed).toMatchObject({ ...fields(3), sequence: 2 });
    expect(hasValidSignature(signed!, pub)).toBe(true);
    // Signed by this key already: nothing changes.
    expect(await store.ensureSigned()).toBe(signed);
    const other = privateKeyFrom(generateSigningKeyPair().privatePem);
    const rotated = new PointerStore(older, undefined, other);
    await rotated.load();
    expect(await rotated.ensureSigned()).toMatchObject({ releaseId: "r3", sequence: 3 });
  });
});

describe("over HTTPS", () => {
  let tlsApi: ApiServer;
  let cert: TestCert;
  beforeAll(async () => {
    cert = await selfSignedCert(dir);
    tlsApi = await startApi(
      { pointers, metrics, status: () => ({}), requestPublish: async () => never(), log: silentLogger },
      { host: "127.0.0.1", port: 0, tls: await readTls({ cert: cert.certFile, key: cert.keyFile }) },
    );
  });
  afterAll(() => tlsApi?.close());

  const getVia = async (trust: TlsTrust) => {
    const dispatcher = await tlsDispatcher(trust);
    try {
      const res = await request(`${tlsApi.url}/healthz`, { dispatcher });
      return await res.body.text();
    } finally {
      await dispatcher.close();
    }
  };

  it("serves from the configured certificate, to a client pinning its fingerprint or trusting it as CA", async () => {
    expect(tlsApi.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await getVia({ fingerprint: cert.fingerprint })).toBe("ok\n");
    expect(await getVia({ fingerprint: cert.fingerprint.replace(/:/g, "").toLowerCase() })).toBe("ok\n");
    expect(await getVia({ ca: cert.cert })).toBe("ok\n");
  });

  it("is reached by the CLI through the server's configuration, pinning the certificate it names", async () => {
    const port = new URL(tlsApi.url).port;
    const config = join(dir, "server.yaml");
    await writeFile(
      config,
      `project: shop
source: /srv/shop
targets: { asg_names: [web] }
ssh: { key: /etc/asg-release/id_ed25519, known_hosts: /var/lib/asg-release-server/known_hosts }
listen: { address: 127.0.0.1, port: ${port}, tls: { cert: ${cert.certFile}, key: ${cert.keyFile} } }
`,
    );
    const target = await resolveServer({ config });
    expect(target.url).toBe(tlsApi.url);
    expect(await getJson(target, "/v1/status")).toEqual({});
  });

  it("is refused by a client pinning another certificate or trusting the system's CAs only", async () => {
    const other = await selfSignedCert(dir, "other");
    await expect(getVia({ fingerprint: other.fingerprint })).rejects.toThrow(
      `presented a certificate with SHA-256 fingerprint ${cert.fingerprint}, expected ${other.fingerprint}`,
    );
    await expect(getVia({})).rejects.toThrow(/self[- ]signed certificate/);
  });
});

function never(): never {
  throw new Error("no publish in this test");
}

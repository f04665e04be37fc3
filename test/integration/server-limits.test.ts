// The release server's API against clients that hold on to it, for real on loopback: parked
// long-polls capped in total and per client address (503 with Retry-After), a request whose headers
// or body never end closed by the timeouts, oversized bodies refused with 413, connections capped per
// client, and /v1/status and /metrics behind the token when guarded. Clients come from addresses of
// their own (127.N.x.y), as hosts of a VPC would.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { connect, type Socket } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type ApiLimits } from "../../release-server/api/limits.js";
import { Metrics } from "../../release-server/api/metrics.js";
import { PointerStore } from "../../release-server/api/pointer-store.js";
import { startApi, type ApiServer } from "../../release-server/api/server.js";
import { silentLogger } from "#shared/log.js";
import { freeLoopbackIp } from "../support/loopback.js";

const TOKEN = "t0ken-for-the-limits-test-0123456789";
const pointer = (n: number) => ({
  releaseId: `r${n}`,
  snapshotId: `snap-0${n}`,
  treeHash: String(n).repeat(64),
  time: `2025-01-0${n}T00:00:00.000Z`,
});

const LIMITS: ApiLimits = {
  ...DEFAULT_LIMITS,
  maxConnections: 40,
  maxConnectionsPerClient: 6,
  maxLongPolls: 3,
  maxLongPollsPerClient: 2,
  retryAfterSeconds: 7,
  headersTimeoutMs: 1000,
  requestTimeoutMs: 1000,
  maxBodyBytes: 1024,
};

let dir: string;
let api: ApiServer;
let pointers: PointerStore;
let port: number;

async function start(guardStatus: boolean): Promise<ApiServer> {
  return startApi(
    {
      pointers,
      metrics: new Metrics(),
      token: TOKEN,
      guardStatus,
      status: () => ({ current: pointers.current() ?? null }),
      requestPublish: () => Promise.reject(new Error("no publish in this test")),
      log: silentLogger,
    },
    { host: "127.0.0.1", port: 0 },
    LIMITS,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "api-limits-"));
  pointers = new PointerStore(join(dir, "pointer.json"));
  await pointers.publish(pointer(1));
  api = await start(true);
  port = Number(new URL(api.url).port);
});
afterAll(async () => {
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A GET from `from`, on a connection of its own. */
function get(from: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path, localAddress: from, headers, agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** A raw connection: what it received by the time the server closed it. */
function rawSocket(from: string): { socket: Socket; closed: Promise<string> } {
  const socket = connect({ host: "127.0.0.1", port, localAddress: from });
  let received = "";
  socket.setEncoding("utf8");
  socket.on("data", (c: string) => (received += c));
  socket.on("error", () => undefined);
  const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  return { socket, closed };
}

const waitUntil = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 2000 && !ok(); i++) await sleep(5);
  if (!ok()) throw new Error(`never happened: ${what}`);
};

describe("parked long-polls", () => {
  it("are capped per client address and in total, with 503 and Retry-After beyond; a change answers them all", async () => {
    const [a, b, c] = [await freeLoopbackIp(), await freeLoopbackIp(), await freeLoopbackIp()];
    const poll = "/v1/release?wait=60&after=r1";
    const parked = [get(a, poll), get(a, poll)];
    await waitUntil("two long-polls parked", () => pointers.waiting() === 2);

    const third = await get(a, poll);
    expect(third.status).toBe(503);
    expect(third.headers["retry-after"]).toBe("7");
    expect(JSON.parse(third.body)).toEqual({ error: "too many long-polls waiting" });

    parked.push(get(b, poll));
    await waitUntil("three long-polls parked", () => pointers.waiting() === 3);
    const overTotal = await get(c, poll);
    expect(overTotal.status).toBe(503);
    expect(overTotal.headers["retry-after"]).toBe("7");

    // What does not wait is answered at once, caps or not.
    expect((await get(c, "/v1/release")).status).toBe(200);
    expect((await get(c, "/v1/release?wait=60&after=r0")).status).toBe(200);

    await pointers.publish(pointer(2));
    for (const answer of await Promise.all(parked)) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject(pointer(2));
    }
    // Their places are free again.
    const again = get(c, "/v1/release?wait=60&after=r2");
    await waitUntil("a long-poll parked again", () => pointers.waiting() === 1);
    await pointers.publish(pointer(3));
    expect((await again).status).toBe(200);
  });

  it("a client that goes away frees its place", async () => {
    const a = await freeLoopbackIp();
    const req = httpRequest({
      host: "127.0.0.1",
      port,
      path: "/v1/release?wait=60&after=r3",
      localAddress: a,
      agent: false,
    });
    req.on("error", () => undefined);
    req.end();
    await waitUntil("a long-poll parked", () => pointers.waiting() === 1);
    req.destroy();
    await waitUntil("the long-poll gone", () => pointers.waiting() === 0);
    const next = [get(a, "/v1/release?wait=60&after=r3"), get(a, "/v1/release?wait=60&after=r3")];
    await waitUntil("two long-polls parked", () => pointers.waiting() === 2);
    await pointers.publish(pointer(4));
    expect((await Promise.all(next)).map((r) => r.status)).toEqual([200, 200]);
  });

  it("outlives the request timeout: it only bounds receiving the request", async () => {
    const pending = get(await freeLoopbackIp(), "/v1/release?wait=60&after=r4");
    await waitUntil("a long-poll parked", () => pointers.waiting() === 1);
    // Several of node's connection checks pass while it is parked.
    await sleep(LIMITS.requestTimeoutMs * 2.5);
    await pointers.publish(pointer(5));
    expect(JSON.parse((await pending).body)).toMatchObject(pointer(5));
  });
});

describe("requests that never end", () => {
  it("a POST whose body never ends is cut by the request timeout", async () => {
    const { socket, closed } = rawSocket(await freeLoopbackIp());
    socket.write(
      "POST /v1/publish HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n",
    );
    socket.write("5\r\nhello\r\n");
    // Never the last chunk: only the server can end this.
    const received = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 (401|408) /);
  });

  it("headers that never end are cut by the headers timeout", async () => {
    const { socket, closed } = rawSocket(await freeLoopbackIp());
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: a");
    expect(await closed).toMatch(/^(HTTP\/1\.1 408 |$)/);
  });
});

describe("request bodies", () => {
  it("a declared length over the limit gets 413 before any of the body is read", async () => {
    const { socket, closed } = rawSocket(await freeLoopbackIp());
    socket.write("POST /v1/publish HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\nabc");
    const received = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toContain("request bodies are limited to 1024 bytes");
  });

  it("a chunked body that grows past the limit gets 413 and the connection is closed", async () => {
    const { socket, closed } = rawSocket(await freeLoopbackIp());
    // A long-poll has not answered yet when its body passes the limit.
    socket.write(
      "GET /v1/release?wait=60&after=r9 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    socket.write(`800\r\n${"x".repeat(0x800)}\r\n`);
    const received = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received.toLowerCase()).toContain("connection: close");
    await waitUntil("its long-poll released", () => pointers.waiting() === 0);
  });

  it("a body past the limit after the answer ends the connection", async () => {
    const { socket, closed } = rawSocket(await freeLoopbackIp());
    socket.write("POST /v1/publish HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (let i = 0; i < 4; i++) socket.write(`400\r\n${"x".repeat(0x400)}\r\n`);
    expect(await closed).toMatch(/^HTTP\/1\.1 401 /);
  });

  it("a small body is drained and the request answered as usual", async () => {
    const res = await fetch(`${api.url}/v1/publish`, { method: "POST", body: "x".repeat(100) });
    expect(res.status).toBe(401);
  });
});

describe("connections", () => {
  it("one client address holds at most its share; others still get in", async () => {
    const a = await freeLoopbackIp();
    const held = Array.from({ length: LIMITS.maxConnectionsPerClient }, () => rawSocket(a));
    // Each is accepted: it answers a request.
    for (const h of held) h.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    await waitUntil("every held connection answered", () =>
      held.every((h) => h.socket.bytesRead > 0 && !h.socket.destroyed),
    );
    const extra = rawSocket(a);
    extra.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await extra.closed).toBe("");
    expect((await get(await freeLoopbackIp(), "/healthz")).status).toBe(200);
    for (const h of held) h.socket.destroy();
  });
});

describe("guarded status", () => {
  it("/v1/status and /metrics need the bearer token; the pointer and health do not", async () => {
    const from = await freeLoopbackIp();
    for (const path of ["/v1/status", "/metrics"]) {
      const open = await get(from, path);
      expect(open.status).toBe(401);
      expect(open.headers["www-authenticate"]).toBe('Bearer realm="asg-release"');
      expect((await get(from, path, { authorization: "Bearer wrong" })).status).toBe(401);
      expect((await get(from, path, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    }
    expect((await get(from, "/v1/release")).status).toBe(200);
    expect((await get(from, "/snap.txt")).status).toBe(200);
    expect((await get(from, "/healthz")).status).toBe(200);
  });

  it("are open when not guarded", async () => {
    const open = await start(false);
    try {
      expect((await fetch(`${open.url}/v1/status`)).status).toBe(200);
      expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

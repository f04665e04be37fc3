import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askReleaseServer, parsePointerText } from "../../../../agent/steps/pointer.js";

const HASH = "c".repeat(64);
const pointer = {
  releaseId: "r7",
  snapshotId: "snap-0123456789abcdef0",
  treeHash: HASH,
  time: "2026-01-01T00:00:00Z",
};

describe("parsePointerText", () => {
  it("reads the JSON pointer, with an optional image digest, keeping the document", () => {
    const digest = `sha256:${"d".repeat(64)}`;
    const doc = { ...pointer, imageDigest: digest, sequence: 3 };
    expect(parsePointerText(JSON.stringify(doc), "src")).toEqual({
      releaseId: "r7",
      snapshotId: pointer.snapshotId,
      treeHash: HASH,
      imageDigest: digest,
      source: "src",
      document: doc,
    });
  });

  it("reads the plain snapshot id of docs/spec/release.md#pointer", () => {
    expect(parsePointerText("snap-0123abcd\n", "snap.txt")).toEqual({
      snapshotId: "snap-0123abcd",
      source: "snap.txt",
    });
  });

  it.each([
    [
      "garbage",
      "<html>oops</html>",
      'snap.txt: expected a snapshot id like "snap-0123456789abcdef0", got "<html>oops</html>"',
    ],
    ["a volume id", "vol-0123456789abcdef0", 'got "vol-0123456789abcdef0"'],
    ["broken JSON", "{", "snap.txt: the pointer is not valid JSON"],
    ["JSON without a snapshot", '{"releaseId":"r1"}', "snap.txt: not a release pointer: snapshotId:"],
  ])("refuses %s", (_name, text, message) => {
    expect(() => parsePointerText(text, "snap.txt")).toThrow(message);
  });
});

describe("askReleaseServer", () => {
  let server: Server;
  let base: string;
  const routes = new Map<string, [number, string]>();
  beforeAll(async () => {
    server = createServer((req, res) => {
      const [status, body] = routes.get(req.url ?? "") ?? [404, "not found"];
      res.writeHead(status).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("prefers /v1/release", async () => {
    routes.clear();
    routes.set("/v1/release", [200, JSON.stringify(pointer)]);
    routes.set("/snap.txt", [200, "snap-00000000"]);
    expect(await askReleaseServer(base, { timeoutMs: 2000, allowPlain: true })).toMatchObject({
      releaseId: "r7",
      source: `${base}/v1/release`,
    });
  });

  it("falls back to /snap.txt when the server has no JSON pointer and no key is configured", async () => {
    routes.clear();
    routes.set("/snap.txt", [200, "snap-0123abcd\n"]);
    expect(await askReleaseServer(base, { timeoutMs: 2000, allowPlain: true })).toEqual({
      snapshotId: "snap-0123abcd",
      source: `${base}/snap.txt`,
    });
  });

  it("never reads /snap.txt when pointers must be signed", async () => {
    routes.clear();
    routes.set("/snap.txt", [200, "snap-0123abcd\n"]);
    await expect(askReleaseServer(base, { timeoutMs: 2000, allowPlain: false })).rejects.toThrow(
      `GET ${base}/v1/release: HTTP 404`,
    );
  });

  it("refuses an answer over 64 KiB", async () => {
    routes.clear();
    routes.set("/v1/release", [200, `{"pad":"${"x".repeat(70 * 1024)}"}`]);
    await expect(askReleaseServer(base, { timeoutMs: 2000, allowPlain: false })).rejects.toThrow(
      `${base}/v1/release: the answer is larger than 64 KiB`,
    );
  });

  it("treats a server error as worth a retry", async () => {
    routes.clear();
    routes.set("/v1/release", [503, "busy"]);
    await expect(askReleaseServer(base, { timeoutMs: 2000, allowPlain: true })).rejects.toThrow(
      `GET ${base}/v1/release: HTTP 503`,
    );
  });
});

// Registry behaviours docker-registry does not show on demand, from a small node:http registry on
// loopback: no Docker-Content-Digest on HEAD (the digest is then the sha256 of the GET body), a body
// that does not match the digest served, and transient 503/429 answers retried with backoff.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseImageRef, type ImageRef } from "#shared/image-ref/parse.js";
import { createRegistryClient, MANIFEST_ACCEPT } from "#shared/registry/client.js";
import { RegistryError } from "#shared/registry/errors.js";
import { freePort } from "../support/loopback.js";
import { fakeClock } from "../support/fake-clock.js";

const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
});
const sha256 = (s: string) => `sha256:${createHash("sha256").update(s).digest("hex")}`;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe("registry client: registry quirks, from a stub registry", () => {
  let server: Server;
  let host: string;
  let handlers: Handler[];
  let seen: { method: string; url: string; accept: string }[];

  beforeAll(async () => {
    const port = await freePort();
    host = `127.0.0.1:${port}`;
    // Each request is answered by the next handler; the last one answers the rest.
    server = createServer((req, res) => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", accept: req.headers.accept ?? "" });
      const handler = handlers.length > 1 ? handlers.shift() : handlers[0];
      handler?.(req, res);
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  });

  beforeEach(() => {
    seen = [];
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const ref = (tag: string): ImageRef => {
    const parsed = parseImageRef(`${host}/team/app:${tag}`);
    if (!parsed.ok) throw new Error(parsed.problem);
    return parsed.ref;
  };
  const serveManifest =
    (headers: Record<string, string> = {}): Handler =>
    (req, res) => {
      res.writeHead(200, { "content-type": "application/vnd.oci.image.manifest.v1+json", ...headers });
      res.end(req.method === "HEAD" ? undefined : manifest);
    };
  const status =
    (code: number): Handler =>
    (_req, res) => {
      res.writeHead(code, { "content-type": "application/json" }).end('{"errors":[]}');
    };

  async function resolve(tag: string) {
    const clock = fakeClock();
    const client = createRegistryClient({ clock });
    try {
      return { result: await client.resolveDigest(ref(tag)).catch((e: unknown) => e), sleeps: clock.sleeps };
    } finally {
      await client.close();
    }
  }

  it("sends the OCI and Docker manifest media types, and takes the digest of the GET body when HEAD has none", async () => {
    handlers = [serveManifest()];
    const { result } = await resolve("1");
    expect(result).toEqual({
      digest: sha256(manifest),
      mediaType: "application/vnd.oci.image.manifest.v1+json",
    });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "HEAD /v2/team/app/manifests/1",
      "GET /v2/team/app/manifests/1",
    ]);
    expect(seen[0]?.accept).toBe(MANIFEST_ACCEPT);
  });

  it("refuses a body whose sha256 is not the digest served", async () => {
    const wrong = `sha256:${"0".repeat(64)}`;
    handlers = [serveManifest(), serveManifest({ "docker-content-digest": wrong })];
    const { result } = await resolve("1");
    expect(result).toBeInstanceOf(RegistryError);
    expect((result as RegistryError).code).toBe("DigestMismatch");
  });

  it("retries 503 and 429 with backoff, then resolves", async () => {
    handlers = [status(503), status(429), serveManifest({ "docker-content-digest": sha256(manifest) })];
    const { result, sleeps } = await resolve("1");
    expect(result).toMatchObject({ digest: sha256(manifest) });
    expect(sleeps).toHaveLength(2);
  });

  it("gives up after the bounded attempts with the registry's status", async () => {
    handlers = [status(503)];
    const { result } = await resolve("1");
    expect(result).toBeInstanceOf(RegistryError);
    expect((result as RegistryError).message).toBe(
      `resolve image digest: ${host}/team/app:1: registry answered HTTP 503: the registry is busy or failing, try again later (gave up after 4 attempts)`,
    );
    expect(seen).toHaveLength(4);
  });
});

describe("registry client: nothing listening", () => {
  it("names the URL and the next step after its attempts", async () => {
    const port = await freePort();
    const parsed = parseImageRef(`127.0.0.1:${port}/team/app:1`);
    if (!parsed.ok) throw new Error(parsed.problem);
    const client = createRegistryClient({ clock: fakeClock(), retry: { maxAttempts: 2 } });
    const err = (await client.resolveDigest(parsed.ref).catch((e: unknown) => e)) as RegistryError;
    await client.close();
    expect(err).toMatchObject({ code: "RegistryUnreachable", retryable: true });
    expect(err.message).toBe(
      `resolve image digest: 127.0.0.1:${port}/team/app:1: cannot reach http://127.0.0.1:${port}/v2/team/app/manifests/1: ` +
        `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}: check that the registry is up and its address is right (gave up after 2 attempts)`,
    );
  });
});

// The real `asg-release publish` and `status` as processes against a small HTTP server on loopback:
// a refused token shows no progress, an unreachable server is named with where its address came from.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveServer } from "../../../cli/server-client.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "asg-release-client-"));
const tokenFile = join(dir, "token");
writeFileSync(tokenFile, "a-wrong-token-of-enough-length\n", { mode: 0o600 });

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["bin/asg-release.js", ...args], { cwd: root }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A closed port on loopback: listened on, then closed. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const TAKEOVER =
  "took over the publish lock of pid 4242 on release-1 (asg-release-server) since 2026-01-01T00:00:00.000Z: that process is gone";
/** What the daemon streams for an unchanged tree (release-server/publish/pipeline.ts). */
const UNCHANGED = [
  { type: "step", step: "recovered", status: "done", message: TAKEOVER },
  { type: "step", step: "synced", status: "start" },
  { type: "step", step: "pointer-published", status: "done" },
  { type: "step", step: "synced", status: "done" },
  { type: "step", step: "frozen", status: "skip" },
  { type: "step", step: "snapshot-started", status: "skip" },
  { type: "step", step: "snapshot-completed", status: "skip" },
  { type: "step", step: "fanned-out", status: "start" },
  { type: "step", step: "fanned-out", status: "done" },
  { type: "step", step: "reconciled", status: "start" },
  { type: "step", step: "reconciled", status: "done" },
  {
    type: "result",
    report: {
      result: "unchanged",
      releaseId: "20260101-000000-abcdef12",
      startedAt: "2026-01-01T00:00:00.000Z",
      durationMs: 1200,
      members: [],
    },
  },
];

describe("the CLI's release server client", { timeout: 60_000 }, () => {
  let server: Server;
  let url = "";
  let requests = 0;
  beforeAll(async () => {
    // Answers a publish as the daemon answers a wrong token, or (to /ok) as it streams the publish of
    // an unchanged tree after taking over a dead publisher's lock.
    server = createServer((req, res) => {
      requests++;
      if (req.url?.startsWith("/ok/")) {
        res.writeHead(200, { "content-type": "application/x-ndjson" });
        for (const e of UNCHANGED) res.write(`${JSON.stringify(e)}\n`);
        res.end();
        return;
      }
      res.writeHead(401, { "content-type": "application/json" });
      res.end(`${JSON.stringify({ error: "a valid bearer token is required" })}\n`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("publish with a wrong token: no progress, the refusal, exit 2", async () => {
    const r = await run("publish", "--server", url, "--token-file", tokenFile);
    expect(requests).toBeGreaterThan(0);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain("Sync the tree");
    expect(r.stderr).toContain(
      `POST ${url}/v1/publish: HTTP 401: {"error":"a valid bearer token is required"}; check the token file`,
    );
  });

  it("publish of an unchanged tree: nothing to publish, and whose lock it took over", async () => {
    const r = await run("publish", "--server", `${url}/ok`, "--token-file", tokenFile);
    expect(r.code).toBe(0);
    const all = r.stdout + r.stderr;
    expect(all).toContain(TAKEOVER);
    expect(all).not.toMatch(/✔ Publish the pointer/);
    expect(all).toContain("nothing to publish: the tree is the published one");
    expect(r.stdout).toContain(
      "nothing to publish: the tree is release 20260101-000000-abcdef12, checked in 1.2 s; 0 member(s) on it",
    );
    const json = await run("publish", "--server", `${url}/ok`, "--token-file", tokenFile, "--json");
    expect(json.stderr).toBe(`${TAKEOVER}\n`);
    expect(JSON.parse(json.stdout)).toMatchObject({ result: "unchanged" });
  });

  it("publish without a token: no progress, a hint, exit 2", async () => {
    const r = await run("publish", "--server", url);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain("Sync the tree");
    expect(r.stderr).toContain("give --token-file or --config with token_file");
  });

  it("status names the address it tried and where it came from", async () => {
    const port = await closedPort();
    const r = await run("status", "--server", `http://127.0.0.1:${port}`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the release server at http://127.0.0.1:${port} (--server):`);
    expect(r.stderr).toContain("ECONNREFUSED");
    const config = join(dir, "server.yaml");
    writeFileSync(
      config,
      `project: shop\nsource: /srv/app\ntargets: { asg_names: [web] }\nssh: { key: /root/.ssh/id, known_hosts: /root/.ssh/known_hosts }\nlisten: { port: ${port} }\n`,
    );
    const fromConfig = await run("status", "--config", config);
    expect(fromConfig.stderr).toContain(
      `cannot reach the release server at http://127.0.0.1:${port} (listen in ${config}):`,
    );
  });

  it("reads the default configuration when it exists and no flag names the server", async () => {
    const config = join(dir, "default-server.yaml");
    writeFileSync(
      config,
      "project: shop\nsource: /srv/app\ntargets: { asg_names: [web] }\nssh: { key: /root/.ssh/id, known_hosts: /root/.ssh/known_hosts }\nlisten: { port: 8123 }\n",
    );
    expect(await resolveServer({}, config)).toEqual({
      url: "http://127.0.0.1:8123",
      from: `listen in ${config}`,
    });
    expect(await resolveServer({ server: "http://127.0.0.1:9" }, config)).toEqual({
      url: "http://127.0.0.1:9",
      from: "--server",
    });
    // A token file this user cannot read is left out of the implicit configuration, not of --config.
    const guarded = join(dir, "guarded-server.yaml");
    writeFileSync(guarded, `${readFileSync(config, "utf8")}token_file: ${join(dir, "absent-token")}\n`);
    expect(await resolveServer({}, guarded)).toEqual({
      url: "http://127.0.0.1:8123",
      from: `listen in ${guarded}`,
    });
    await expect(resolveServer({ config: guarded })).rejects.toThrow("cannot read the token file");
    expect(await resolveServer({}, join(dir, "absent.yaml"))).toEqual({
      url: "http://127.0.0.1:8700",
      from: "the default address",
    });
  });
});

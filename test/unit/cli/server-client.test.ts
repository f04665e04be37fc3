// The real `asg-release publish` and `status` as processes against a small HTTP server on loopback:
// a refused token shows no progress, an unreachable server is named with where its address came from.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
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

describe("the CLI's release server client", { timeout: 60_000 }, () => {
  let server: Server;
  let url = "";
  let requests = 0;
  beforeAll(async () => {
    // Answers every publish as the daemon answers a wrong token.
    server = createServer((req, res) => {
      requests++;
      res.writeHead(401, { "content-type": "application/json" });
      res.end(`${JSON.stringify({ error: "a valid bearer token is required" })}\n`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("publish with a wrong token: no progress, the refusal, exit 2", async () => {
    const r = await run("publish", "--server", url, "--token-file", tokenFile);
    expect(requests).toBe(1);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).not.toContain("Sync the tree");
    expect(r.stderr).toContain(
      `POST ${url}/v1/publish: HTTP 401: {"error":"a valid bearer token is required"}; check the token file`,
    );
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
    expect(await resolveServer({}, join(dir, "absent.yaml"))).toEqual({
      url: "http://127.0.0.1:8700",
      from: "the default address",
    });
  });
});

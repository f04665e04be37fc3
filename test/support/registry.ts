// A real registry v2 (Debian's docker-registry) on a free loopback port, optionally behind htpasswd
// basic auth, for tests that pull images into hosts.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../sim/hosts/proc/run.js";
import { freePort } from "./loopback.js";

export interface Registry {
  /** "127.0.0.1:PORT", the registry part of image references. */
  host: string;
  url: string;
  auth?: { username: string; password: string };
  stop(): Promise<void>;
}

async function waitUntilServing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(`${url}/v2/`);
      // 401 is an answer too: the registry is up and wants credentials.
      if (r.status === 200 || r.status === 401) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`registry at ${url} not serving after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRegistry(
  opts: { auth?: { username: string; password: string } } = {},
): Promise<Registry> {
  const dir = await mkdtemp(join(tmpdir(), "sim-registry-"));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const auth: string[] = [];
  if (opts.auth) {
    // The registry accepts bcrypt entries only.
    const entry = await run(["htpasswd", "-Bbn", opts.auth.username, opts.auth.password]);
    await writeFile(join(dir, "htpasswd"), entry.stdout);
    auth.push("auth:", "  htpasswd:", "    realm: sim-registry", `    path: ${join(dir, "htpasswd")}`);
  }
  const config = [
    "version: 0.1",
    "log: { level: error, accesslog: { disabled: true } }",
    `storage: { filesystem: { rootdirectory: ${join(dir, "data")} }, delete: { enabled: true } }`,
    `http: { addr: "${host}" }`,
    ...auth,
    "",
  ].join("\n");
  await writeFile(join(dir, "config.yml"), config);
  const child = spawn("docker-registry", ["serve", join(dir, "config.yml")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilServing(`http://${host}`, 10_000);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}: ${stderr.trim()}`);
  }
  return { host, url: `http://${host}`, auth: opts.auth, stop };
}

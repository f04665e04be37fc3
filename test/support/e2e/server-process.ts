// The release server run for real inside the release host (its mount namespace, where the release
// volume is mounted): `asg-release-server init` to completion, the daemon as a child that can be
// killed with SIGKILL at any moment and started again.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { nsenterShArgv } from "../../../sim/hosts/full/holder.js";
import type { Fleet, Host } from "./fleet.js";
import { waitUntil } from "./fleet.js";

const root = join(import.meta.dirname, "..", "..", "..");
export const SERVER_BIN = join(root, "bin", "asg-release-server.js");

export interface ServerPaths {
  config: string;
  stateDir: string;
}

function envFor(fleet: Fleet, host: Host): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOME: "/root",
    ...fleet.sim.env(),
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://${host.privateIp}:80`,
  };
}

/** Runs a command of the server inside the host; prints its pid first (`echo $$`) so it can be killed. */
function spawnIn(fleet: Fleet, host: Host, args: string[], logFile: string): ChildProcess {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const [file, ...argv] = nsenterShArgv(host.holderPid, `echo $$ >&2; exec node ${SERVER_BIN} ${quoted}`);
  const child = spawn(file, argv, { env: envFor(fleet, host), stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(logFile, { flags: "a" });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  return child;
}

export async function runInit(
  fleet: Fleet,
  host: Host,
  p: ServerPaths,
): Promise<{ exitCode: number; output: string }> {
  const child = spawnIn(
    fleet,
    host,
    ["init", "-c", p.config, "--state-dir", p.stateDir],
    join(fleet.dir, "init.log"),
  );
  const out: string[] = [];
  child.stdout?.on("data", (b: Buffer) => out.push(b.toString()));
  child.stderr?.on("data", (b: Buffer) => out.push(b.toString()));
  const exitCode = await new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? -1)));
  return { exitCode, output: out.join("") };
}

export interface ServerProcess {
  /** JSON log lines seen so far. */
  lines: Record<string, unknown>[];
  /** SIGKILL, as a crash or power cut would. */
  kill9(): Promise<void>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  exited: Promise<number>;
}

export async function startServer(
  fleet: Fleet,
  host: Host,
  p: ServerPaths,
  apiUrl: string,
  extraArgs: string[] = [],
): Promise<ServerProcess> {
  const child = spawnIn(
    fleet,
    host,
    ["-c", p.config, "--state-dir", p.stateDir, ...extraArgs],
    join(fleet.dir, "server.log"),
  );
  const lines: Record<string, unknown>[] = [];
  let pid: string | undefined;
  const pidKnown = new Promise<string>((resolve) => {
    child.stderr?.once("data", (b: Buffer) => {
      pid = b.toString().split("\n")[0]?.trim();
      resolve(pid ?? "");
    });
  });
  void (async () => {
    for await (const line of createInterface({ input: child.stdout! })) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  })();
  const exited = new Promise<number>((resolve) =>
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : -1))),
  );
  await pidKnown;
  await waitUntil(
    "the release server's /healthz",
    async () => {
      const r = await fetch(`${apiUrl}/healthz`).catch(() => undefined);
      return r?.ok ? true : undefined;
    },
    60_000,
  );
  const signal = async (sig: string) => {
    await host.sh(`kill -${sig} ${pid} 2>/dev/null || true`);
    await exited;
  };
  return { lines, exited, kill9: () => signal("KILL"), stop: () => signal("TERM") };
}

// The host's namespaces: `unshare` starts the holder script as PID 1 of new mount, UTS, IPC and PID
// namespaces; everything of the host then runs through `nsenter` into them. Killing the holder kills
// every process of the host (PID namespace semantics), which releases its mounts.
import { closeSync, openSync, readFileSync, readlinkSync } from "node:fs";
import { HostError } from "../errors.js";
import { start, type ChildProcess } from "../proc/run.js";
import type { HostLayout } from "./layout.js";

export interface Holder {
  /** The `unshare` process, in the machine's PID namespace. */
  unsharePid: number;
  /** The holder (PID 1 inside), as the machine numbers it: the target of nsenter. */
  pid: number;
  /** "mnt:[4026532177]" */
  mountNamespace: string;
  /**
   * An open descriptor of that mount namespace, closed by teardown once no process is left in it:
   * the kernel gives a freed namespace's number to the next new one at once (another host, another
   * sim's podman), whose processes would then look like this host's.
   */
  namespacePin: number;
  exited: Promise<void>;
}

export const MACHINE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`holder not ready after ${timeoutMs} ms`)), timeoutMs);
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("ready\n")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`holder exited (${signal ?? `exit ${code}`}) while setting up the host`));
    });
  });
}

function childOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/);
  const child = Number(children[0]);
  if (!Number.isInteger(child) || child <= 0) throw new Error(`unshare ${pid} has no child`);
  return child;
}

function logTail(path: string): string {
  try {
    return readFileSync(path, "utf8").trim().split("\n").slice(-5).join("\n");
  } catch {
    return "";
  }
}

export async function startHolder(l: HostLayout, instanceId: string, timeoutMs = 15_000): Promise<Holder> {
  const log = openSync(l.holderLog, "a");
  const argv = ["--mount", "--uts", "--ipc", "--pid", "--fork", "--mount-proc", "--propagation", "private"];
  const child = start(["unshare", ...argv, "/bin/bash", l.holderScript], {
    stdio: ["pipe", "pipe", log],
    env: { PATH: MACHINE_PATH },
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitForReady(child, timeoutMs);
  } catch (e) {
    child.kill("SIGKILL");
    await exited;
    const tail = logTail(l.holderLog);
    throw new HostError("BootFailed", `${(e as Error).message}${tail ? `: ${tail}` : ""}`, instanceId, {
      cause: e,
    });
  }
  // The holder reads stdin until EOF: keep the pipe open for the host's lifetime, but let the sim's
  // process exit without waiting for it (its exit closes the pipe, which ends the host).
  child.stdout!.destroy();
  child.unref();
  (child.stdin as unknown as { unref(): void }).unref();
  const pid = childOf(child.pid!);
  const namespacePin = openSync(`/proc/${pid}/ns/mnt`, "r");
  return {
    unsharePid: child.pid!,
    pid,
    mountNamespace: readlinkSync(`/proc/${pid}/ns/mnt`),
    namespacePin,
    exited,
  };
}

/** Kills the host's PID 1; the kernel kills the rest of the PID namespace before unshare sees the exit. */
export async function stopHolder(h: Holder, timeoutMs = 15_000): Promise<void> {
  try {
    process.kill(h.pid, "SIGKILL");
  } catch {
    // already gone
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`host processes still running after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([h.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** argv that runs `/bin/sh -c script [args...]` in the namespaces of the holder with pid `pid`. */
export function nsenterShArgv(pid: number, script: string, ...args: string[]): [string, ...string[]] {
  return ["nsenter", "-t", String(pid), "-m", "-u", "-i", "-p", "--", "/bin/sh", "-c", script, ...args];
}

/** argv that runs `argv` inside the host, in `cwd` (a path of the host's file system). */
export function nsenterArgv(h: Holder, argv: readonly string[], cwd = "/"): string[] {
  // nsenter's own --wd resolves the path before entering the mount namespace, so cd afterwards.
  return nsenterShArgv(h.pid, 'cd "$0" && exec "$@"', cwd, ...argv);
}

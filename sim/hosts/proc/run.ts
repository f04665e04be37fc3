// The sim's process runner, the only place sim/ starts a process (lint rule): run, a command to
// completion with its output; runToLog, one whose output goes to a log; start, one that runs
// alongside. sim/ imports nothing from the product, so it does not use shared/proc.
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { HostCommandError } from "../errors.js";
import { killTree } from "./processes.js";

export interface RunOptions {
  /** The complete environment of the command (nothing is inherited when given). */
  env?: Record<string, string>;
  input?: string | Buffer;
  timeoutMs?: number;
  /** Throw HostCommandError on failure (default true). */
  reject?: boolean;
  /** Names the host in error messages. */
  instanceId?: string;
}

export interface RunResult {
  /** null when the command was killed (timeout or signal). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) throw new Error("run: empty argv");
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    // A command that never reads its input must not fail the run with EPIPE.
    child.stdin.on("error", () => {});
    child.stdin.end(opts.input ?? "");
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            // nsenter forks the real command; kill the whole tree, not just nsenter.
            if (child.pid !== undefined) killTree(child.pid);
          }, opts.timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const result = {
        exitCode: code,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      };
      if (code !== 0 && opts.reject !== false) {
        reject(new HostCommandError(argv, code, result.stdout, result.stderr, opts.instanceId));
      } else {
        resolve(result);
      }
    });
  });
}

/**
 * Runs with stdout and stderr appended to `logPath`; resolves with the exit code (null when killed
 * or not started). It resolves on exit, not close: daemons the command starts may keep the log open.
 */
export function runToLog(
  argv: readonly string[],
  logPath: string,
  opts: { env?: Record<string, string> } = {},
): Promise<number | null> {
  const [file, ...args] = argv;
  if (!file) throw new Error("runToLog: empty argv");
  const fd = openSync(logPath, "a");
  try {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ["ignore", fd, fd] });
    return new Promise((resolve) => {
      child.once("error", () => resolve(null));
      child.once("exit", (code) => resolve(code));
    });
  } finally {
    closeSync(fd);
  }
}

export type { ChildProcess };

/** Starts a process that runs alongside the sim, for callers that talk to it through its pipes. */
export function start(
  argv: readonly string[],
  opts: { env?: Record<string, string>; stdio: StdioOptions },
): ChildProcess {
  const [file, ...args] = argv;
  if (!file) throw new Error("start: empty argv");
  return spawn(file, args, { env: opts.env ?? process.env, stdio: opts.stdio });
}

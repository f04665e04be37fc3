// Runs a local command to completion and collects its output. The sim's only process runner: sim/
// imports nothing from the product, so it does not use shared/proc.
import { spawn } from "node:child_process";
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

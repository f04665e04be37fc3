// One long-lived bash for a guide's blocks, as a reader's terminal is: variables and the working
// directory carry from block to block. Each block is sent base64-encoded and run with `eval` with
// stdin from /dev/null (so commands that read stdin, ssh or apt, cannot eat the blocks after it),
// under `set -euo pipefail`: the first failing command ends the shell, and the block with it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";

export interface DocShell {
  /** Runs `code`; resolves with its output (stdout and stderr, interleaved), rejects when it fails. */
  run(code: string, timeoutMs?: number): Promise<string>;
  /** The value of a shell variable ("" when unset). */
  value(name: string): Promise<string>;
  close(): Promise<void>;
}

export class DocBlockError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(`${message}\n--- output ---\n${output.slice(-8000)}`);
  }
}

/** Starts `argv` (a bash reading commands on stdin, locally, in a host or over ssh). */
export function openDocShell(
  argv: readonly string[],
  o: { env: Record<string, string>; log?: (chunk: string) => void },
): DocShell {
  const [file, ...args] = argv;
  if (!file) throw new Error("empty argv");
  const child: ChildProcess = spawn(file, args, { env: o.env, stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  let ended: string | undefined;
  let waiter: (() => void) | undefined;
  const take = (b: Buffer) => {
    const text = b.toString();
    output += text;
    o.log?.(text.replace(/^__doc_block_done_[0-9a-f-]+__\n/gm, ""));
    waiter?.();
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  child.on("close", (code, signal) => {
    ended = `the shell ended (${signal ?? `exit code ${code}`})`;
    waiter?.();
  });
  child.stdin?.on("error", () => undefined);
  child.stdin?.write("set -euo pipefail\n");

  const run = (code: string, timeoutMs = 20 * 60_000): Promise<string> => {
    if (ended) return Promise.reject(new DocBlockError(ended, ""));
    const nonce = `__doc_block_done_${randomUUID()}__`;
    const start = output.length;
    const b64 = Buffer.from(code).toString("base64");
    child.stdin?.write(`eval "$(printf %s '${b64}' | base64 -d)" </dev/null\nprintf '\\n%s\\n' '${nonce}'\n`);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiter = undefined;
        reject(new DocBlockError(`no end after ${timeoutMs / 1000} s`, output.slice(start)));
      }, timeoutMs);
      waiter = () => {
        const at = output.indexOf(`${nonce}\n`, start);
        if (at !== -1) {
          clearTimeout(timer);
          waiter = undefined;
          resolve(output.slice(start, at).replace(/\n+$/, ""));
        } else if (ended) {
          clearTimeout(timer);
          waiter = undefined;
          reject(new DocBlockError(ended, output.slice(start)));
        }
      };
      waiter();
    });
  };

  return {
    run,
    value: async (name) => (await run(`printf '%s' "\${${name}:-}"`)).trim(),
    close: async () => {
      if (ended) return;
      child.stdin?.end();
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill("SIGKILL");
          resolve();
        }, 10_000);
        child.on("close", () => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}

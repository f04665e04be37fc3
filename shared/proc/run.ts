// The only place the product starts a process (lint rule). run: argv in, stdout/stderr out, and a
// CommandError with the command's name (never its arguments), the exit code and the tail of stderr
// when it fails. start: a process
// that runs alongside the caller (a daemon, a CLI on the terminal, a child timed from outside).
import { execa, type Options } from "execa";
import { CommandError } from "../errors.js";

export interface RunOptions {
  /** Kills the process (SIGTERM, then SIGKILL after 5 s) when it runs longer. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Added to the current environment. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  /** Exit codes that are answers rather than failures (findmnt and blkid exit 1 or 2 for "nothing found"). */
  okExitCodes?: readonly number[];
  /** How a failure names the command ("podman run"); the program's name by default. */
  command?: string;
}

export interface RunResult {
  argv: readonly string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The signature steps depend on, so a caller can log or wrap every command in one place. */
export type Run = (argv: readonly string[], opts?: RunOptions) => Promise<RunResult>;

const TAIL_CHARS = 2000;

/** The end of a process's stderr, where the reason for a failure usually is. */
export function tail(text: string, max = TAIL_CHARS): string {
  const trimmed = text.trim();
  return trimmed.length <= max ? trimmed : `...${trimmed.slice(-max)}`;
}

export const run: Run = async (argv, opts = {}) => {
  const [file, ...args] = argv;
  if (!file) throw new CommandError(argv, undefined, "empty argv");
  const result = await execa(file, args, {
    reject: false,
    stdin: opts.input === undefined ? "ignore" : "pipe",
    ...(opts.input === undefined ? {} : { input: opts.input }),
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    forceKillAfterDelay: 5000,
    stripFinalNewline: false,
  });
  const stdout = String(result.stdout ?? "");
  const stderr = String(result.stderr ?? "");
  const ok = opts.okExitCodes ?? [0];
  if (result.exitCode !== undefined && ok.includes(result.exitCode) && !result.timedOut) {
    return { argv, exitCode: result.exitCode, stdout, stderr };
  }
  throw new CommandError(argv, result.exitCode, tail(reasonOf(result, opts, stderr)), {
    context: { timedOut: result.timedOut, canceled: result.isCanceled },
    ...(opts.command ? { command: opts.command } : {}),
  });
};

function reasonOf(
  result: { timedOut: boolean; isCanceled: boolean; signal?: string; originalMessage?: string },
  opts: RunOptions,
  stderr: string,
): string {
  const parts: string[] = [];
  if (result.timedOut) parts.push(`timed out after ${opts.timeoutMs} ms`);
  else if (result.isCanceled) parts.push("canceled");
  else if (result.signal) parts.push(`killed by ${result.signal}`);
  // spawn failures (ENOENT: the program is not installed) have no stderr, only this message.
  if (!stderr.trim() && result.originalMessage) parts.push(result.originalMessage);
  if (stderr.trim()) parts.push(stderr);
  return parts.join(": ");
}

export interface StartOptions {
  /** Added to the current environment; the whole environment with replaceEnv. */
  env?: Record<string, string | undefined>;
  replaceEnv?: boolean;
  cwd?: string;
  /**
   * stdout and stderr: "inherit" shares this terminal (stdin too), "ignore" drops them, "capture"
   * keeps them for `done`, a number is a file descriptor they go to (a log opened for appending).
   */
  output?: "inherit" | "ignore" | "capture" | number;
  /** In its own process group, so it outlives this process (with unref). */
  detached?: boolean;
}

export interface Ended {
  /** undefined when killed by a signal or never started (then `reason` says why). */
  exitCode: number | undefined;
  signal: string | undefined;
  reason: string | undefined;
  stdout: string;
  stderr: string;
}

export interface Started {
  readonly pid: number | undefined;
  /** Settles when the process has ended; never rejects. */
  readonly done: Promise<Ended>;
  readonly ended: boolean;
  kill(signal?: NodeJS.Signals): void;
  /** Lets this process exit while the started one runs on. */
  unref(): void;
}

export function start(argv: readonly string[], opts: StartOptions = {}): Started {
  const [file, ...args] = argv;
  if (!file) throw new CommandError(argv, undefined, "empty argv");
  const output = opts.output ?? "ignore";
  // execa's types list only descriptors 3-9, but any open one is handed to spawn as it is.
  const stdio = (output === "capture" ? "pipe" : output) as Options["stdout"] & Options["stderr"];
  const options: Options = {
    reject: false,
    stdin: output === "inherit" ? "inherit" : "ignore",
    stdout: stdio,
    stderr: stdio,
    ...(opts.env ? { env: opts.env, extendEnv: !opts.replaceEnv } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.detached ? { detached: true } : {}),
    stripFinalNewline: false,
  };
  const subprocess = execa(file, args, options);
  let ended = false;
  const done = subprocess.then((r) => {
    ended = true;
    return {
      exitCode: r.exitCode,
      signal: r.signal,
      reason: r.failed && r.exitCode === undefined && !r.signal ? r.originalMessage : undefined,
      stdout: String(r.stdout ?? ""),
      stderr: String(r.stderr ?? ""),
    };
  });
  return {
    pid: subprocess.pid,
    done,
    get ended() {
      return ended;
    },
    kill: (signal) => void subprocess.kill(signal),
    unref: () => subprocess.unref(),
  };
}

// Runs commands inside a host with the host's environment only: nothing of the sim's own
// environment leaks in, as on a real instance.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import type { ExecOptions, ExecResult } from "../driver.js";
import { run } from "../proc/run.js";
import { nsenterArgv, type Holder } from "./holder.js";

export class HostExec {
  constructor(
    private readonly holder: Holder,
    /** The environment of every process in the host. */
    readonly env: Record<string, string>,
    private readonly instanceId: string,
  ) {}

  async exec(argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await run(nsenterArgv(this.holder, argv, opts.cwd), {
      env: { ...this.env, ...opts.env },
      input: opts.input,
      timeoutMs: opts.timeoutMs,
      reject: opts.reject,
      instanceId: this.instanceId,
    });
    return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** Runs with stdout and stderr appended to `logPath` (the console); resolves with the exit code. */
  logged(argv: string[], logPath: string): Promise<number | null> {
    const fd = openSync(logPath, "a");
    try {
      const [file, ...args] = nsenterArgv(this.holder, argv);
      const child = spawn(file!, args, { env: this.env, stdio: ["ignore", fd, fd] });
      // Resolve on exit, not close: daemons started by user-data keep the console open.
      return new Promise((resolve) => {
        child.once("error", () => resolve(null));
        child.once("exit", (code) => resolve(code));
      });
    } finally {
      closeSync(fd);
    }
  }
}

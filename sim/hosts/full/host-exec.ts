// Runs commands inside a host with the host's environment only: nothing of the sim's own
// environment leaks in, as on a real instance.
import type { ExecOptions, ExecResult } from "../driver.js";
import { run, runToLog } from "../proc/run.js";
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
    // runToLog resolves on exit, not close: daemons started by user-data keep the console open.
    return runToLog(nsenterArgv(this.holder, argv), logPath, { env: this.env });
  }
}

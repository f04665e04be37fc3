// One service unit's life as systemd leads it: conditions, ExecStartPre=, the main process by Type=
// (simple, exec, notify, oneshot), RemainAfterExit=, ExecStop= and KillMode= on stop, Restart= with
// RestartSec= and RestartPreventExitStatus=, the start rate limit, TimeoutStartSec=/TimeoutStopSec=.
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  accessSync,
  constants,
} from "node:fs";
import { parseEnvironmentFile, parseEnvironmentLine, splitExecLine } from "./exec-line.js";
import type { Journal } from "./journal.js";
import { NOTIFY_SOCKET } from "./paths.js";
import type { ExecCommand, ServiceConfig } from "./service-config.js";
import { spawnCommand, type Exit } from "./spawn-command.js";

export type ActiveState = "inactive" | "activating" | "active" | "deactivating" | "failed";
export type Result =
  "success" | "exit-code" | "signal" | "timeout" | "start-limit-hit" | "protocol" | "resources";

/** How a start job ended, as systemctl reports it. */
export type JobResult = "done" | "failed" | "skipped";

const CLEAN_SIGNALS = new Set(["SIGHUP", "SIGINT", "SIGTERM", "SIGPIPE"]);

const statusOf = (e: Exit): string =>
  e.signal ? `signal=${e.signal.replace(/^SIG/, "")}` : `status=${e.code}`;

export class Service {
  activeState: ActiveState = "inactive";
  subState = "dead";
  result: Result = "success";
  mainPid = 0;
  invocationId = "";
  statusText = "";
  since = Date.now();
  lastExit: Exit | undefined;
  /** "ConditionPathExists=/etc/x was not met", when the last start was skipped. */
  conditionFailure: string | undefined;
  private starts: number[] = [];
  private restartTimer: NodeJS.Timeout | undefined;
  private readyWaiters: (() => void)[] = [];
  private main: { kill(sig: NodeJS.Signals): void; exited: Promise<Exit> } | undefined;
  private job: Promise<JobResult> | undefined;

  constructor(
    public config: ServiceConfig,
    private readonly journal: Journal,
  ) {}

  get name(): string {
    return this.config.name;
  }

  private set(state: ActiveState, sub: string): void {
    if (state !== this.activeState) this.since = Date.now();
    this.activeState = state;
    this.subState = sub;
  }

  private log(message: string): void {
    this.journal.write(this.name, "systemd", 1, message);
  }

  /** Starts the unit; resolves when the start job ends (READY=1 for notify, the exit for oneshot). */
  start(): Promise<JobResult> {
    if (this.job) return this.job;
    if (
      this.activeState === "active" ||
      (this.activeState === "activating" && this.subState !== "auto-restart")
    )
      return Promise.resolve("done");
    // A start during the wait of Restart= starts now, as systemd does.
    clearTimeout(this.restartTimer);
    this.job = this.runStart().finally(() => (this.job = undefined));
    return this.job;
  }

  private checkConditions(): string | undefined {
    for (const c of this.config.conditions) {
      const test = CONDITIONS[c.key.replace(/^(Condition|Assert)/, "")];
      if (!test) continue;
      if (test(c.path) === c.negate) return `${c.key}=${c.negate ? "!" : ""}${c.path}`;
    }
    return undefined;
  }

  private environment(): Record<string, string> {
    const c = this.config;
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      INVOCATION_ID: this.invocationId,
    };
    delete env.NOTIFY_SOCKET;
    if (c.type === "notify") env.NOTIFY_SOCKET = NOTIFY_SOCKET;
    for (const line of c.environment) for (const [k, v] of parseEnvironmentLine(line, c.name)) env[k] = v;
    for (const f of c.environmentFiles) {
      const optional = f.startsWith("-");
      const path = optional ? f.slice(1) : f;
      if (!existsSync(path)) {
        if (optional) continue;
        throw new Error(`Failed to load environment files: ${path}: No such file or directory`);
      }
      for (const [k, v] of parseEnvironmentFile(readFileSync(path, "utf8"))) env[k] = v;
    }
    for (const d of c.directories) {
      const paths = d.names.map((n) => `${d.base}/${n}`);
      for (const p of paths) {
        mkdirSync(p, { recursive: true });
        chmodSync(p, d.mode);
      }
      env[d.env] = paths.join(":");
    }
    if (c.user) {
      env.USER = env.LOGNAME = c.user;
    }
    return env;
  }

  private spawn(cmd: ExecCommand, env: Record<string, string>) {
    const c = this.config;
    const cwd = c.workingDirectory?.replace(/^-/, "").replace(/^~$/, env.HOME ?? "/root");
    const cwdOptional = c.workingDirectory?.startsWith("-") ?? false;
    const argv = splitExecLine(cmd.line, c.name, env);
    return spawnCommand(
      { unit: c.name, argv, env, cwd, cwdOptional, umask: c.umask, user: c.user, group: c.group },
      this.journal,
    );
  }

  /** Runs ExecStartPre=/ExecStartPost=/ExecStop= lines in order; false when one fails. */
  private async runSteps(cmds: ExecCommand[], env: Record<string, string>, sub: string): Promise<boolean> {
    for (const cmd of cmds) {
      this.subState = sub;
      const e = await this.spawn(cmd, env).exited;
      if ((e.code !== 0 || e.signal) && !cmd.ignoreFailure) {
        this.lastExit = e;
        this.log(
          `${this.name}: Control process exited, code=${e.signal ? "killed" : "exited"}, ${statusOf(e)}`,
        );
        return false;
      }
    }
    return true;
  }

  private fail(result: Result): JobResult {
    this.result = result;
    this.set("failed", "failed");
    this.mainPid = 0;
    this.log(`${this.name}: Failed with result '${result}'.`);
    return "failed";
  }

  private async runStart(): Promise<JobResult> {
    const c = this.config;
    this.conditionFailure = undefined;
    const failed = this.checkConditions();
    if (failed) {
      const assert = c.conditions.some((x) => x.assert && failed.startsWith(x.key));
      if (assert) {
        this.log(`Assertion failed for ${c.description}.`);
        return this.fail("resources");
      }
      this.conditionFailure = `${failed} was not met`;
      this.set("inactive", "dead");
      this.log(`${c.description} was skipped because of an unmet condition check (${failed}).`);
      return "skipped";
    }
    const now = Date.now();
    this.starts = [...this.starts.filter((t) => now - t < c.startLimitIntervalSec * 1000), now];
    if (c.startLimitBurst > 0 && this.starts.length > c.startLimitBurst) {
      this.log(`${this.name}: Start request repeated too quickly.`);
      return this.fail("start-limit-hit");
    }
    if (c.execStart.length === 0 && c.type !== "oneshot") {
      this.log(`${this.name}: Service has no ExecStart= setting. Refusing.`);
      return this.fail("resources");
    }
    this.invocationId = randomBytes(16).toString("hex");
    this.statusText = "";
    this.result = "success";
    this.set("activating", "start-pre");
    this.log(`Starting ${c.description}...`);
    let env: Record<string, string>;
    try {
      env = this.environment();
    } catch (e) {
      this.log(`${this.name}: ${(e as Error).message}`);
      return this.fail("resources");
    }
    if (!(await this.runSteps(c.execStartPre, env, "start-pre"))) return this.fail("exit-code");
    if (c.type === "oneshot") return this.runOneshot(env);
    const { child, exited } = this.spawn(c.execStart[0]!, env);
    this.mainPid = child.pid ?? 0;
    this.main = { kill: (sig) => this.signal(child.pid, sig), exited };
    const ready = new Promise<"ready">((resolve) => {
      if (c.type === "notify") this.readyWaiters.push(() => resolve("ready"));
      else resolve("ready");
    });
    this.set("activating", "start");
    const timeout = Number.isFinite(c.timeoutStartSec)
      ? new Promise<"timeout">((r) => setTimeout(() => r("timeout"), c.timeoutStartSec * 1000).unref())
      : new Promise<"timeout">(() => {});
    const first = await Promise.race([ready, exited.then((e) => ({ exit: e })), timeout]);
    if (first === "timeout") {
      this.log(`${this.name}: start operation timed out. Terminating.`);
      await this.kill(child.pid);
      const r = this.fail("timeout");
      this.maybeRestart({ code: null, signal: "SIGTERM" }, true);
      return r;
    }
    if (first !== "ready") {
      // The main process ended before the unit was up (a notify unit without READY=1).
      void this.onMainExit(first.exit, exited);
      return this.activeState === "active" ? "done" : "failed";
    }
    if (this.activeState !== "activating") return "failed"; // stopped meanwhile
    this.set("active", "running");
    void exited.then((e) => this.onMainExit(e, exited));
    if (!(await this.runSteps(c.execStartPost, env, "start-post"))) {
      await this.kill(child.pid);
      return this.fail("exit-code");
    }
    this.subState = this.main ? "running" : this.subState;
    this.log(`Started ${c.description}.`);
    return "done";
  }

  private async runOneshot(env: Record<string, string>): Promise<JobResult> {
    const c = this.config;
    this.set("activating", "start");
    for (const cmd of c.execStart) {
      const { child, exited } = this.spawn(cmd, env);
      this.mainPid = child.pid ?? 0;
      this.main = { kill: (sig) => this.signal(child.pid, sig), exited };
      const e = await exited;
      this.lastExit = e;
      this.main = undefined;
      if (!this.clean(e) && !cmd.ignoreFailure) {
        this.log(`${this.name}: Main process exited, code=${e.signal ? "killed" : "exited"}, ${statusOf(e)}`);
        const r = this.fail(e.signal ? "signal" : "exit-code");
        this.maybeRestart(e, false);
        return r;
      }
    }
    this.mainPid = 0;
    if (c.remainAfterExit) this.set("active", "exited");
    else this.set("inactive", "dead");
    this.log(`Finished ${c.description}.`);
    return "done";
  }

  private clean(e: Exit): boolean {
    if (e.signal) return CLEAN_SIGNALS.has(e.signal) && this.config.type !== "oneshot";
    return e.code === 0 || this.config.successExitStatus.includes(e.code ?? -1);
  }

  private async onMainExit(e: Exit, exited: Promise<Exit>): Promise<void> {
    if (this.main?.exited !== exited) return; // a stop already handled it
    this.main = undefined;
    this.lastExit = e;
    this.mainPid = 0;
    if (this.activeState === "deactivating") return;
    const c = this.config;
    const clean = this.clean(e);
    const beforeReady = this.activeState === "activating";
    this.log(`${this.name}: Main process exited, code=${e.signal ? "killed" : "exited"}, ${statusOf(e)}`);
    if (clean && !(beforeReady && c.type === "notify")) {
      if (c.remainAfterExit) this.set("active", "exited");
      else {
        this.set("inactive", "dead");
        this.log(`${this.name}: Deactivated successfully.`);
      }
      this.maybeRestart(e, false);
      return;
    }
    this.fail(clean ? "protocol" : e.signal ? "signal" : "exit-code");
    this.maybeRestart(e, false);
  }

  private maybeRestart(e: Exit, timedOut: boolean): void {
    const c = this.config;
    if (c.restartPreventExitStatus.includes(e.code ?? -1)) return;
    const clean = !timedOut && this.clean(e);
    const abnormal = timedOut || (e.signal !== null && !CLEAN_SIGNALS.has(e.signal));
    const restart =
      c.restart === "always" ||
      (c.restart === "on-failure" && !clean) ||
      (c.restart === "on-success" && clean) ||
      (c.restart === "on-abnormal" && abnormal) ||
      (c.restart === "on-abort" && e.signal !== null && !CLEAN_SIGNALS.has(e.signal));
    if (!restart) return;
    this.set("activating", "auto-restart");
    this.log(`${this.name}: Scheduled restart job in ${c.restartSec}s.`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.subState !== "auto-restart") return;
      this.job = this.runStart().finally(() => (this.job = undefined));
    }, c.restartSec * 1000);
  }

  /** READY=1 and STATUS= from the unit's processes (NotifyAccess=all). */
  notify(fields: Record<string, string>): void {
    if (fields.STATUS !== undefined) this.statusText = fields.STATUS;
    if (fields.READY === "1") {
      const waiters = this.readyWaiters.splice(0);
      for (const w of waiters) w();
    }
  }

  private signal(pid: number | undefined, sig: NodeJS.Signals): void {
    if (!pid) return;
    const mode = this.config.killMode;
    // The unit's processes are its process group (no cgroups here); "mixed" sends SIGKILL to all.
    const group = mode === "control-group" || (mode === "mixed" && sig === "SIGKILL");
    try {
      process.kill(group ? -pid : pid, sig);
    } catch {
      // gone already
    }
  }

  private async kill(pid: number | undefined): Promise<void> {
    if (!pid || this.config.killMode === "none") return;
    const exited = this.main?.exited;
    this.signal(pid, this.config.killSignal as NodeJS.Signals);
    if (!exited) return;
    const stopMs = Number.isFinite(this.config.timeoutStopSec)
      ? this.config.timeoutStopSec * 1000
      : 2 ** 31 - 1;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), stopMs)));
    if ((await Promise.race([exited, late])) === "late") {
      this.log(`${this.name}: State 'stop-sigterm' timed out. Killing.`);
      this.signal(pid, "SIGKILL");
      await exited;
    }
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (this.subState === "auto-restart") {
      this.set("failed", "failed");
      return;
    }
    if (this.activeState === "inactive" || this.activeState === "failed") return;
    const wasActive = this.activeState === "active";
    this.log(`Stopping ${this.config.description}...`);
    this.set("deactivating", "stop");
    if (wasActive && this.config.execStop.length > 0) {
      try {
        await this.runSteps(this.config.execStop, this.environment(), "stop");
      } catch (e) {
        this.log(`${this.name}: ${(e as Error).message}`);
      }
    }
    const main = this.main;
    await this.kill(this.mainPid || undefined);
    if (main === this.main) this.main = undefined;
    this.mainPid = 0;
    this.set("inactive", "dead");
    this.result = "success";
    this.log(`Stopped ${this.config.description}.`);
  }
}

const CONDITIONS: Record<string, (path: string) => boolean> = {
  PathExists: (p) => existsSync(p),
  PathIsDirectory: (p) => existsSync(p) && statSync(p).isDirectory(),
  FileNotEmpty: (p) => existsSync(p) && statSync(p).isFile() && statSync(p).size > 0,
  DirectoryNotEmpty: (p) => existsSync(p) && statSync(p).isDirectory() && readdirSync(p).length > 0,
  FileIsExecutable: (p) => {
    try {
      accessSync(p, constants.X_OK);
      return statSync(p).isFile();
    } catch {
      return false;
    }
  },
};

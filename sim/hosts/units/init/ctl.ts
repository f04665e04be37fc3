// systemctl's verbs against the host's units, with systemctl's messages and exit codes: 0 done,
// 1 failed, 3 not active (status, is-active), 4 no such unit (status), 5 not loaded (start, stop).
import { hostname } from "node:os";
import { disable, enable, enablementState, type Output } from "./install.js";
import { formatEntry, readJournal } from "./journal.js";
import type { LoadedUnit, Manager } from "./manager.js";
import type { Service } from "./service.js";
import { unitName } from "./unit-file.js";

interface Flags {
  now: boolean;
  quiet: boolean;
  noBlock: boolean;
  lines: number;
  properties: string[];
  value: boolean;
}

const FLAG_ONLY = new Set([
  "--system",
  "--no-pager",
  "--no-legend",
  "--full",
  "-l",
  "--no-reload",
  "--no-ask-password",
  "--plain",
]);

function parse(argv: string[]): { verb: string; args: string[]; flags: Flags } {
  const flags: Flags = { now: false, quiet: false, noBlock: false, lines: 10, properties: [], value: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--now") flags.now = true;
    else if (a === "--quiet" || a === "-q") flags.quiet = true;
    else if (a === "--no-block") flags.noBlock = true;
    else if (a === "--value") flags.value = true;
    else if (a === "-n" || a === "--lines") flags.lines = Number(argv[++i]);
    else if (a.startsWith("--lines=")) flags.lines = Number(a.slice(8));
    else if (a === "-p" || a === "--property") flags.properties.push(...argv[++i]!.split(","));
    else if (a.startsWith("--property=")) flags.properties.push(...a.slice(11).split(","));
    else if (FLAG_ONLY.has(a)) continue;
    // deb-systemd-helper's `systemctl --root=/ --preset-mode=enable-only preset UNIT`: the host's own
    // root, and a preset that only ever enables.
    else if (a === "--root=/" || a.startsWith("--preset-mode=")) continue;
    else rest.push(a);
  }
  const [verb = "list-units", ...args] = rest;
  return { verb, args: args.map(unitName), flags };
}

const JOB_FAILURES: Record<string, string> = {
  "start-limit-hit": "start of the service was attempted too frequently",
  timeout: "a timeout was exceeded",
  signal: "the control process exited with error code",
  "exit-code": "the control process exited with error code",
  protocol: "the service did not take the steps required by its unit configuration",
  resources: "of unavailable resources or another system error",
};

function activeLine(s: Service | undefined): string {
  if (!s) return "inactive (dead)";
  const since = new Date(s.since).toUTCString();
  const ago = Math.max(0, Math.round((Date.now() - s.since) / 1000));
  const detail = s.activeState === "failed" ? `Result: ${s.result}` : s.subState;
  return `${s.activeState} (${detail}) since ${since}; ${ago}s ago`;
}

function statusLines(u: LoadedUnit, lines: number): string[] {
  const s = u.service;
  const state = enablementState(u.config, u.masked);
  const dot = s?.activeState === "active" ? "●" : s?.activeState === "failed" ? "×" : "○";
  const out = [
    `${dot} ${u.config.name} - ${u.config.description}`,
    `     Loaded: ${u.masked ? "masked" : "loaded"} (${u.path}; ${state})`,
    `     Active: ${activeLine(s)}`,
  ];
  if (s?.conditionFailure)
    out.push("  Condition: start condition unmet", `             └─ ${s.conditionFailure}`);
  if (s?.mainPid) out.push(`   Main PID: ${s.mainPid}`);
  else if (s?.lastExit)
    out.push(
      `    Process: (code=${s.lastExit.signal ? "killed" : "exited"}, ${s.lastExit.signal ? `signal=${s.lastExit.signal}` : `status=${s.lastExit.code}`})`,
    );
  if (s?.statusText) out.push(`     Status: "${s.statusText}"`);
  const entries = readJournal().filter((e) => e.u === u.config.name);
  if (lines > 0 && entries.length > 0) {
    out.push("");
    for (const e of entries.slice(-lines)) out.push(formatEntry(e, hostname()));
  }
  return out;
}

function property(u: LoadedUnit | undefined, name: string, unit: string): string {
  const s = u?.service;
  const values: Record<string, () => string> = {
    Id: () => unit,
    LoadState: () => (!u ? "not-found" : u.masked ? "masked" : "loaded"),
    ActiveState: () => s?.activeState ?? "inactive",
    SubState: () => s?.subState ?? "dead",
    Result: () => s?.result ?? "success",
    MainPID: () => String(s?.mainPid ?? 0),
    ExecMainStatus: () => String(s?.lastExit?.code ?? 0),
    StatusText: () => s?.statusText ?? "",
    UnitFileState: () => (u ? enablementState(u.config, u.masked) : ""),
    FragmentPath: () => u?.path ?? "",
    Description: () => u?.config.description ?? unit,
    Type: () => u?.config.type ?? "",
    InvocationID: () => s?.invocationId ?? "",
  };
  return values[name]?.() ?? "";
}

export async function systemctl(m: Manager, argv: string[], o: Output): Promise<number> {
  const { verb, args, flags } = parse(argv);
  const say = (line: string) => {
    if (!flags.quiet) o.out(line);
  };
  const startAll = async (names: string[], action: "start" | "restart"): Promise<number> => {
    let code = 0;
    const jobs = names.map(async (n) => {
      const u = m.load(n);
      if (!u || u.masked) {
        o.err(
          u
            ? `Failed to ${action} ${n}: Unit ${n} is masked.`
            : `Failed to ${action} ${n}: Unit ${n} not found.`,
        );
        code = code || (u ? 1 : 5);
        return;
      }
      if (!u.service) return;
      if (action === "restart") await u.service.stop();
      const job = u.service.start();
      if (flags.noBlock) return;
      if ((await job) === "failed") {
        const why = JOB_FAILURES[u.service.result] ?? "the control process exited with error code";
        o.err(`Job for ${n} failed because ${why}.`);
        o.err(`See "systemctl status ${n}" and "journalctl -xeu ${n}" for details.`);
        code = code || 1;
      }
    });
    await Promise.all(jobs);
    return code;
  };
  switch (verb) {
    case "daemon-reload":
    case "daemon-reexec":
      m.reload();
      return 0;
    case "is-system-running":
      say("running");
      return 0;
    case "start":
      return startAll(args, "start");
    case "restart":
    case "reload-or-restart":
    case "force-reload":
    case "reload":
      return startAll(args, "restart");
    case "try-restart":
    case "try-reload-or-restart":
      return startAll(
        args.filter((n) => m.load(n)?.service?.activeState === "active"),
        "restart",
      );
    case "stop": {
      let code = 0;
      for (const n of args) {
        const u = m.load(n);
        if (!u) {
          o.err(`Failed to stop ${n}: Unit ${n} not loaded.`);
          code = 5;
          continue;
        }
        const stop = u.service?.stop();
        if (!flags.noBlock) await stop;
      }
      return code;
    }
    // No preset files are read: the policy is Debian's default, "enable" (a package's units are
    // enabled on installation).
    case "preset":
    case "enable":
    case "reenable":
    case "disable": {
      for (const n of args) {
        const u = m.load(n);
        if (!u) {
          o.err(
            `Failed to ${verb === "disable" ? "disable" : "enable"} unit: Unit file ${n} does not exist.`,
          );
          return 1;
        }
      }
      for (const n of args) {
        const u = m.load(n)!;
        if (verb === "reenable" || verb === "disable") disable(n, o);
        if (verb === "disable") continue;
        if (u.config.wantedBy.length + u.config.requiredBy.length + u.config.alias.length === 0) {
          o.err(
            `The unit files have no installation config (WantedBy=, RequiredBy=, Also=, Alias= settings in the [Install] section, and DefaultInstance= for template units). This means they are not meant to be enabled or disabled using systemctl.`,
          );
          continue;
        }
        enable(u.config, u.path, o);
        for (const also of u.config.also) {
          const a = m.load(unitName(also));
          if (a) enable(a.config, a.path, o);
        }
      }
      if (!flags.now) return 0;
      if (verb === "disable") return systemctl(m, ["stop", ...args], o);
      return startAll(args, "start");
    }
    case "is-enabled": {
      let code = 1;
      for (const n of args) {
        const u = m.load(n);
        if (!u) {
          o.err(`Failed to get unit file state for ${n}: No such file or directory`);
          return 1;
        }
        const state = enablementState(u.config, u.masked);
        say(state);
        if (state !== "disabled" && state !== "masked") code = 0;
      }
      return code;
    }
    case "is-active":
    case "is-failed": {
      let code = verb === "is-active" ? 3 : 1;
      for (const n of args) {
        const state = m.load(n)?.service?.activeState ?? "inactive";
        say(state);
        if (verb === "is-active" ? state === "active" : state === "failed") code = 0;
      }
      return code;
    }
    case "status": {
      let code = 0;
      for (const n of args) {
        const u = m.load(n);
        if (!u) {
          o.err(`Unit ${n} could not be found.`);
          code = 4;
          continue;
        }
        for (const line of statusLines(u, flags.lines)) o.out(line);
        if (u.service?.activeState !== "active") code = code || 3;
      }
      return code;
    }
    case "show": {
      for (const n of args) {
        const u = m.load(n);
        const props =
          flags.properties.length > 0
            ? flags.properties
            : [
                "Id",
                "LoadState",
                "ActiveState",
                "SubState",
                "Result",
                "MainPID",
                "UnitFileState",
                "FragmentPath",
              ];
        for (const p of props) o.out(flags.value ? property(u, p, n) : `${p}=${property(u, p, n)}`);
      }
      return 0;
    }
    case "reset-failed":
      for (const u of m.loaded()) {
        if (u.service?.activeState === "failed" && (args.length === 0 || args.includes(u.config.name))) {
          u.service.activeState = "inactive";
          u.service.subState = "dead";
          u.service.result = "success";
        }
      }
      return 0;
    case "list-units":
      for (const u of m.loaded()) {
        if (!u.service || u.service.activeState === "inactive") continue;
        o.out(
          `${u.config.name} loaded ${u.service.activeState} ${u.service.subState} ${u.config.description}`,
        );
      }
      return 0;
    default:
      o.err(`Unknown command verb '${verb}'.`);
      return 1;
  }
}

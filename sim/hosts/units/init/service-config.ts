// What the service manager takes from a unit file: the directives it implements, typed, and a note
// for every directive it ignores (systemd's hardening and resource controls, ordering between units).
import { value, values, type UnitFile } from "./unit-file.js";

export type ServiceType = "simple" | "exec" | "notify" | "oneshot" | "forking";
export type RestartPolicy = "no" | "on-failure" | "always" | "on-abnormal" | "on-success" | "on-abort";

export interface Condition {
  key: string;
  /** "!" negates; "|" (a triggering condition) is treated as a plain one. */
  negate: boolean;
  path: string;
  /** Assert*: a failure fails the start instead of skipping it. */
  assert: boolean;
}

export interface ExecCommand {
  /** The command line as written, without its prefixes. */
  line: string;
  /** "-": a failure is ignored. */
  ignoreFailure: boolean;
}

export interface ServiceConfig {
  name: string;
  description: string;
  type: ServiceType;
  execStartPre: ExecCommand[];
  execStart: ExecCommand[];
  execStartPost: ExecCommand[];
  execStop: ExecCommand[];
  environment: string[];
  /** Paths; a "-" prefix makes a missing file no error. */
  environmentFiles: string[];
  workingDirectory?: string;
  user?: string;
  group?: string;
  umask?: number;
  remainAfterExit: boolean;
  restart: RestartPolicy;
  restartSec: number;
  restartPreventExitStatus: number[];
  successExitStatus: number[];
  timeoutStartSec: number;
  timeoutStopSec: number;
  killMode: "control-group" | "mixed" | "process" | "none";
  killSignal: string;
  conditions: Condition[];
  /** StateDirectory= and friends: [base, names[], mode]. */
  directories: { env: string; base: string; names: string[]; mode: number }[];
  startLimitBurst: number;
  startLimitIntervalSec: number;
  wantedBy: string[];
  requiredBy: string[];
  alias: string[];
  also: string[];
  /** Dependencies of a target unit (its Wants= and Requires=). */
  wants: string[];
  notes: string[];
}

const SUPPORTED: Record<string, string[]> = {
  Unit: [
    "Description",
    "Documentation",
    "Wants",
    "Requires",
    "After",
    "Before",
    "StartLimitIntervalSec",
    "StartLimitBurst",
    "DefaultDependencies",
  ],
  Service: [
    "Type",
    "ExecStart",
    "ExecStartPre",
    "ExecStartPost",
    "ExecStop",
    "Environment",
    "EnvironmentFile",
    "WorkingDirectory",
    "User",
    "Group",
    "UMask",
    "RemainAfterExit",
    "Restart",
    "RestartSec",
    "RestartPreventExitStatus",
    "SuccessExitStatus",
    "TimeoutStartSec",
    "TimeoutStopSec",
    "TimeoutSec",
    "KillMode",
    "KillSignal",
    "NotifyAccess",
    "SyslogIdentifier",
    "StandardOutput",
    "StandardError",
    "StateDirectory",
    "StateDirectoryMode",
    "RuntimeDirectory",
    "RuntimeDirectoryMode",
    "LogsDirectory",
    "LogsDirectoryMode",
    "CacheDirectory",
    "CacheDirectoryMode",
    "ConfigurationDirectory",
    "ConfigurationDirectoryMode",
  ],
  Install: ["WantedBy", "RequiredBy", "Alias", "Also"],
};

const CONDITION_KEYS =
  /^(Condition|Assert)(PathExists|PathIsDirectory|FileNotEmpty|PathExistsGlob|DirectoryNotEmpty|FileIsExecutable)$/;

/** systemd time spans: "15s", "2min", "1h 30min", "500ms", a bare number is seconds; "infinity". */
export function parseSeconds(text: string): number {
  if (text === "infinity") return Number.POSITIVE_INFINITY;
  const units: Record<string, number> = {
    "": 1,
    s: 1,
    sec: 1,
    second: 1,
    seconds: 1,
    ms: 0.001,
    msec: 0.001,
    us: 1e-6,
    usec: 1e-6,
    m: 60,
    min: 60,
    minute: 60,
    minutes: 60,
    h: 3600,
    hr: 3600,
    hour: 3600,
    hours: 3600,
    d: 86400,
    day: 86400,
    days: 86400,
  };
  let total = 0;
  for (const m of text.matchAll(/([\d.]+)\s*([a-z]*)/g)) {
    const factor = units[m[2]!];
    if (factor === undefined) throw new Error(`bad time span: ${text}`);
    total += Number(m[1]) * factor;
  }
  return total;
}

const bool = (v: string | undefined): boolean => v !== undefined && /^(1|yes|true|on)$/i.test(v);
const words = (vs: string[]): string[] => vs.flatMap((v) => v.split(/\s+/)).filter((w) => w !== "");

function execCommands(vs: string[], notes: string[], key: string): ExecCommand[] {
  return vs.map((raw) => {
    let line = raw;
    let ignoreFailure = false;
    // Prefixes: "-" ignores failure; "@", "+", "!", "!!", ":" change how systemd runs the command.
    while (/^[-@+!:]/.test(line)) {
      if (line[0] === "-") ignoreFailure = true;
      else notes.push(`${key}: prefix "${line[0]}" ignored`);
      line = line.slice(1);
    }
    return { line, ignoreFailure };
  });
}

function exitStatuses(vs: string[]): number[] {
  return words(vs)
    .filter((w) => /^\d+$/.test(w))
    .map(Number);
}

export function serviceConfig(unit: UnitFile): ServiceConfig {
  const s = unit.sections;
  const notes: string[] = [];
  for (const [section, keys] of s) {
    for (const key of keys.keys()) {
      if (section === "Unit" && CONDITION_KEYS.test(key)) continue;
      if (!SUPPORTED[section]?.includes(key)) notes.push(`[${section}] ${key}= not supported here, ignored`);
      else if (
        section === "Unit" &&
        (key === "Wants" || key === "Requires") &&
        unit.name.endsWith(".service")
      )
        notes.push(`[Unit] ${key}= ignored (units are not started as dependencies here)`);
    }
  }
  const svc = (k: string) => value(s, "Service", k);
  const conditions: Condition[] = [];
  for (const key of s.get("Unit")?.keys() ?? []) {
    if (!CONDITION_KEYS.test(key)) continue;
    for (const v of values(s, "Unit", key)) {
      const m = /^(\|?)(!?)(.*)$/.exec(v)!;
      conditions.push({ key, negate: m[2] === "!", path: m[3]!, assert: key.startsWith("Assert") });
    }
  }
  const directories = [
    { key: "StateDirectory", env: "STATE_DIRECTORY", base: "/var/lib" },
    { key: "RuntimeDirectory", env: "RUNTIME_DIRECTORY", base: "/run" },
    { key: "LogsDirectory", env: "LOGS_DIRECTORY", base: "/var/log" },
    { key: "CacheDirectory", env: "CACHE_DIRECTORY", base: "/var/cache" },
    { key: "ConfigurationDirectory", env: "CONFIGURATION_DIRECTORY", base: "/etc" },
  ]
    .map((d) => ({
      env: d.env,
      base: d.base,
      names: words(values(s, "Service", d.key)),
      mode: parseInt(svc(`${d.key}Mode`) ?? "0755", 8),
    }))
    .filter((d) => d.names.length > 0);
  const type = (svc("Type") ??
    (values(s, "Service", "ExecStart").length > 0 ? "simple" : "oneshot")) as ServiceType;
  if (type === "forking")
    notes.push("Type=forking: the main process is the one started (no PIDFile= tracking)");
  const umask = svc("UMask");
  const timeout = svc("TimeoutSec");
  return {
    name: unit.name,
    description: value(s, "Unit", "Description") ?? unit.name,
    type,
    execStartPre: execCommands(values(s, "Service", "ExecStartPre"), notes, "ExecStartPre"),
    execStart: execCommands(values(s, "Service", "ExecStart"), notes, "ExecStart"),
    execStartPost: execCommands(values(s, "Service", "ExecStartPost"), notes, "ExecStartPost"),
    execStop: execCommands(values(s, "Service", "ExecStop"), notes, "ExecStop"),
    environment: values(s, "Service", "Environment"),
    environmentFiles: values(s, "Service", "EnvironmentFile"),
    workingDirectory: svc("WorkingDirectory"),
    user: svc("User"),
    group: svc("Group"),
    umask: umask === undefined ? undefined : parseInt(umask, 8),
    remainAfterExit: bool(svc("RemainAfterExit")),
    restart: (svc("Restart") ?? "no") as RestartPolicy,
    restartSec: parseSeconds(svc("RestartSec") ?? "100ms"),
    restartPreventExitStatus: exitStatuses(values(s, "Service", "RestartPreventExitStatus")),
    successExitStatus: exitStatuses(values(s, "Service", "SuccessExitStatus")),
    timeoutStartSec: parseSeconds(svc("TimeoutStartSec") ?? timeout ?? "90s"),
    timeoutStopSec: parseSeconds(svc("TimeoutStopSec") ?? timeout ?? "90s"),
    killMode: (svc("KillMode") ?? "control-group") as ServiceConfig["killMode"],
    killSignal: svc("KillSignal") ?? "SIGTERM",
    conditions,
    directories,
    startLimitBurst: Number(value(s, "Unit", "StartLimitBurst") ?? 5),
    startLimitIntervalSec: parseSeconds(value(s, "Unit", "StartLimitIntervalSec") ?? "10s"),
    wantedBy: words(values(s, "Install", "WantedBy")),
    requiredBy: words(values(s, "Install", "RequiredBy")),
    alias: words(values(s, "Install", "Alias")),
    also: words(values(s, "Install", "Also")),
    wants: words([...values(s, "Unit", "Wants"), ...values(s, "Unit", "Requires")]),
    notes,
  };
}

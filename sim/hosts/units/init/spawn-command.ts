// Starts one command of a unit: its environment, working directory, umask and user; its own process
// group (so that stopping the unit reaches its children), its output to the journal.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { basename } from "node:path";
import type { Journal } from "./journal.js";

export interface CommandSpec {
  unit: string;
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  /** WorkingDirectory=-PATH: a missing directory is no error (the command runs in /). */
  cwdOptional?: boolean;
  umask?: number;
  user?: string;
  group?: string;
  identifier?: string;
}

function idOf(flag: "-u" | "-g", name: string): number {
  if (/^\d+$/.test(name)) return Number(name);
  return Number(execFileSync("id", [flag, name], { encoding: "utf8" }).trim());
}

/** Exit code and signal of the process, once it has exited. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function spawnCommand(
  spec: CommandSpec,
  journal: Journal,
): { child: ChildProcess; exited: Promise<Exit> } {
  const [file, ...args] = spec.argv;
  // A shell trampoline applies UMask= and reports a missing working directory or command as systemd's
  // 200 (CHDIR) and 203 (EXEC) exit statuses.
  const umask = spec.umask === undefined ? "" : `umask ${spec.umask.toString(8).padStart(4, "0")}; `;
  const script = `${umask}if [ -n "$SIM_INIT_CWD" ]; then cd "$SIM_INIT_CWD" 2>/dev/null || [ -n "$SIM_INIT_CWD_OPTIONAL" ] || exit 200; fi; unset SIM_INIT_CWD SIM_INIT_CWD_OPTIONAL; command -v "$0" >/dev/null 2>&1 || exit 203; exec "$0" "$@"`;
  const child = spawn("/bin/sh", ["-c", script, file!, ...args], {
    env: {
      ...spec.env,
      ...(spec.cwd ? { SIM_INIT_CWD: spec.cwd } : {}),
      ...(spec.cwdOptional ? { SIM_INIT_CWD_OPTIONAL: "1" } : {}),
    },
    cwd: "/",
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    ...(spec.user ? { uid: idOf("-u", spec.user) } : {}),
    ...(spec.group ? { gid: idOf("-g", spec.group) } : {}),
  });
  const identifier = spec.identifier ?? basename(file!);
  const pid = () => child.pid ?? 0;
  const out = journal.lineWriter(spec.unit, identifier, pid);
  const err = journal.lineWriter(spec.unit, identifier, pid);
  child.stdout!.on("data", out.data);
  child.stderr!.on("data", err.data);
  const exited = new Promise<Exit>((resolve) => {
    child.once("error", () => resolve({ code: 203, signal: null }));
    // "exit", not "close": a daemon the command leaves behind may keep the pipes open.
    child.once("exit", (code, signal) => {
      out.end();
      err.end();
      resolve({ code, signal });
    });
  });
  return { child, exited };
}

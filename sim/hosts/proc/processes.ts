// A synchronous view of the machine's processes from /proc: parent, command line and mount
// namespace, enough to find what a host owns and to kill a process with its descendants.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** argv joined by spaces. */
  cmdline: string;
  /** e.g. "mnt:[4026532177]"; "" when unreadable. */
  mountNamespace: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name in parentheses may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0+$/, "").replaceAll("\0", " ");
    let mountNamespace = "";
    try {
      mountNamespace = readlinkSync(`/proc/${pid}/ns/mnt`);
    } catch {
      // a zombie or a process that just exited
    }
    return { pid, ppid: Number(fields[1]), cmdline, mountNamespace };
  } catch {
    return undefined;
  }
}

export function listProcesses(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProcess(Number(name));
    if (info) out.push(info);
  }
  return out;
}

/** pids of `roots` and of all their descendants, among `all`. */
export function withDescendants(roots: Iterable<number>, all: ProcessInfo[]): Set<number> {
  const found = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.add(p.pid);
        grew = true;
      }
    }
  }
  return found;
}

/** This process and its ancestors: never "owned" by a state dir their command lines mention. */
export function selfAndAncestors(all: ProcessInfo[]): Set<number> {
  const byPid = new Map(all.map((p) => [p.pid, p]));
  const out = new Set<number>();
  for (
    let pid: number | undefined = process.pid;
    pid !== undefined && pid > 0 && !out.has(pid);
    pid = byPid.get(pid)?.ppid
  ) {
    out.add(pid);
  }
  return out;
}

/** SIGKILLs a process and every descendant (collected first, so none escapes by reparenting). */
export function killTree(pid: number): void {
  for (const p of withDescendants([pid], listProcesses())) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

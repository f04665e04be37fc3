// The host's journal: a JSON-lines file that the units' output and the service manager's own
// messages are appended to, and that the host's journalctl reads.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { JOURNAL_FILE } from "./paths.js";

export interface JournalEntry {
  /** Epoch milliseconds. */
  t: number;
  /** The unit, or "" for the manager's messages about no unit in particular. */
  u: string;
  /** The identifier journalctl prints (SyslogIdentifier=, the command's name, or "systemd"). */
  i: string;
  p: number;
  m: string;
}

export class Journal {
  constructor(private readonly file: string = JOURNAL_FILE) {
    mkdirSync(dirname(file), { recursive: true });
  }

  write(unit: string, identifier: string, pid: number, message: string): void {
    const e: JournalEntry = { t: Date.now(), u: unit, i: identifier, p: pid, m: message };
    appendFileSync(this.file, `${JSON.stringify(e)}\n`);
  }

  /** A line writer for a stream of output: complete lines are written as they come. */
  lineWriter(unit: string, identifier: string, pid: () => number): { data(b: Buffer): void; end(): void } {
    let pending = "";
    return {
      data: (b) => {
        pending += b.toString();
        const lines = pending.split("\n");
        pending = lines.pop()!;
        for (const l of lines) this.write(unit, identifier, pid(), l);
      },
      end: () => {
        if (pending !== "") this.write(unit, identifier, pid(), pending);
        pending = "";
      },
    };
  }
}

export function readJournal(file: string = JOURNAL_FILE): JournalEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as JournalEntry);
}

/** "Dec 07 15:04:59 host ident[pid]: message", journalctl's short format. */
export function formatEntry(e: JournalEntry, host: string): string {
  const d = new Date(e.t);
  const month = d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const time = d.toISOString().slice(11, 19);
  return `${month} ${String(d.getUTCDate()).padStart(2, "0")} ${time} ${host} ${e.i}[${e.p}]: ${e.m}`;
}

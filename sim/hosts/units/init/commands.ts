// The host's systemctl, systemd-notify and journalctl: thin clients of the service manager (journalctl
// reads the journal file itself).
import { hostname } from "node:os";
import { request } from "./protocol.js";
import { formatEntry, readJournal, type JournalEntry } from "./journal.js";
import { CONTROL_SOCKET } from "./paths.js";
import { unitName } from "./unit-file.js";

export async function systemctlCommand(argv: string[]): Promise<number> {
  try {
    return await request(CONTROL_SOCKET, { kind: "systemctl", argv });
  } catch {
    process.stderr.write("System has not been booted with systemd as init system (PID 1). Can't operate.\n");
    process.stderr.write("Failed to connect to bus: Host is down\n");
    return 1;
  }
}

export async function bootCommand(): Promise<number> {
  return request(CONTROL_SOCKET, { kind: "boot" });
}

/** systemd-notify [--ready] [--status=TEXT] [--booted] [VAR=VALUE...]. */
export async function notifyCommand(argv: string[]): Promise<number> {
  if (argv.includes("--booted")) return 0;
  const fields: Record<string, string> = {};
  for (const a of argv) {
    if (a === "--ready") fields.READY = "1";
    else if (a.startsWith("--status=")) fields.STATUS = a.slice(9);
    else if (a.startsWith("--pid=") || a === "--no-block" || a === "--pid") continue;
    else if (/^[A-Z_]+=/.test(a)) fields[a.slice(0, a.indexOf("="))] = a.slice(a.indexOf("=") + 1);
  }
  const socket = process.env.NOTIFY_SOCKET;
  if (!socket) {
    process.stderr.write("No status data could be sent: $NOTIFY_SOCKET was not set\n");
    return 1;
  }
  try {
    return await request(socket, { kind: "notify", invocationId: process.env.INVOCATION_ID ?? "", fields });
  } catch (e) {
    process.stderr.write(`Failed to notify init system: ${(e as Error).message}\n`);
    return 1;
  }
}

/** journalctl [-u UNIT]... [-n N] [-o cat] [-f]; other flags are accepted and ignored. */
export async function journalctlCommand(argv: string[]): Promise<number> {
  const units: string[] = [];
  let lines = Number.POSITIVE_INFINITY;
  let cat = false;
  let follow = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-u" || a === "--unit") units.push(unitName(argv[++i]!));
    else if (a.startsWith("--unit=")) units.push(unitName(a.slice(7)));
    else if (a.startsWith("-u") && a.length > 2) units.push(unitName(a.slice(2)));
    else if (a === "-n" || a === "--lines") lines = Number(argv[++i]);
    else if (a.startsWith("--lines=")) lines = Number(a.slice(8));
    else if (a === "-e" || a === "--pager-end") lines = Math.min(lines, 1000);
    else if (a === "-o" || a === "--output") cat = argv[++i] === "cat";
    else if (a === "-ocat" || a === "--output=cat") cat = true;
    else if (a === "-f" || a === "--follow") follow = true;
  }
  const host = hostname();
  const pick = (e: JournalEntry) => units.length === 0 || units.includes(e.u);
  const show = (e: JournalEntry) => process.stdout.write(`${cat ? e.m : formatEntry(e, host)}\n`);
  let all = readJournal();
  const selected = all.filter(pick);
  if (selected.length === 0 && !follow) process.stdout.write("-- No entries --\n");
  for (const e of Number.isFinite(lines) ? selected.slice(-lines) : selected) show(e);
  if (!follow) return 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const now = readJournal();
    for (const e of now.slice(all.length)) if (pick(e)) show(e);
    all = now;
  }
}

// Gives a full host its service manager: the init program and the host's systemctl, journalctl and
// systemd-notify (bound over the machine's, in the host's mount namespace only) are written into the
// state dir, the manager is started in the host's namespaces, and `bootUnits` starts the enabled
// units of multi-user.target at the point of the boot where systemd would.
import { existsSync, readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { HostExec } from "../full/host-exec.js";
import type { HostLayout } from "../full/layout.js";
import { shellQuote as q } from "../user-data/cloud-config.js";
import { BOOT_TARGETS, UNIT_DIRS } from "./init/paths.js";
import { INIT_PROGRAM } from "./program.js";

export const INIT_COMMANDS = ["systemctl", "journalctl", "systemd-notify"] as const;

export interface InitPaths {
  dir: string;
  program: string;
  bin: string;
  /** On the machine: the host's /run/sim-init. */
  runDir: string;
}

export function initPaths(l: HostLayout): InitPaths {
  const dir = join(l.dir, "init");
  return { dir, program: join(dir, "init.cjs"), bin: join(dir, "bin"), runDir: join(l.runDir, "sim-init") };
}

/** node for the program: the sim's own when it is node, the machine's otherwise (a bundled executable). */
function nodeBinary(): string {
  return /^node/.test(basename(process.execPath)) ? process.execPath : "node";
}

/** The machine's own enabled units: the host's copy-on-write /etc shows their links, but they are not the host's. */
function machineUnits(): string[] {
  const names = new Set<string>();
  for (const dir of UNIT_DIRS)
    for (const t of BOOT_TARGETS) {
      const wants = join(dir, `${t}.wants`);
      if (existsSync(wants)) for (const n of readdirSync(wants)) names.add(n);
    }
  return [...names].sort();
}

async function waitForSocket(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`the host's service manager did not start (no ${path})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startInit(l: HostLayout, exec: HostExec): Promise<void> {
  const p = initPaths(l);
  await mkdir(p.bin, { recursive: true });
  await writeFile(p.program, INIT_PROGRAM);
  const node = nodeBinary();
  for (const c of INIT_COMMANDS)
    await writeFile(join(p.bin, c), `#!/bin/sh\nexec ${q(node)} ${q(p.program)} ${c} "$@"\n`, {
      mode: 0o755,
    });
  await mkdir(p.runDir, { recursive: true });
  await writeFile(join(p.runDir, "machine-units.json"), JSON.stringify(machineUnits()));
  // The machine's commands are replaced by bind mounts in the host's own mount namespace; where the
  // machine has none, a link in the host's /usr/local/sbin (copy-on-write) takes their place.
  const replace = INIT_COMMANDS.map((c) => {
    const w = q(join(p.bin, c));
    return `if [ -e /usr/bin/${c} ]; then mount -n --bind ${w} /usr/bin/${c}; else mkdir -p /usr/local/sbin && ln -sf ${w} /usr/local/sbin/${c}; fi; if [ ! -L /bin ] && [ -e /bin/${c} ]; then mount -n --bind ${w} /bin/${c}; fi`;
  });
  const start = `${q(node)} ${q(p.program)} supervisor >/run/sim-init/supervisor.log 2>&1 </dev/null &`;
  await exec.exec(["/bin/sh", "-c", [...replace, start].join("\n")]);
  await waitForSocket(join(p.runDir, "control.sock"), 15_000);
}

/** Starts the enabled units of multi-user.target and waits for their start jobs; output to the console. */
export async function bootUnits(l: HostLayout, exec: HostExec): Promise<void> {
  const p = initPaths(l);
  await exec.logged([nodeBinary(), p.program, "boot"], l.consoleLog);
}

// The host's init program, one file for every role, chosen by the first argument: the service
// manager ("supervisor"), the sim's boot call ("boot"), and the host's systemctl, systemd-notify and
// journalctl. The sim bundles it into sim/hosts/units/program.ts (see sim/hosts/README.md).
import { bootCommand, journalctlCommand, notifyCommand, systemctlCommand } from "./commands.js";
import { supervise } from "./supervisor.js";

async function main(argv: string[]): Promise<void> {
  const [role, ...args] = argv;
  if (role === "supervisor") return supervise();
  const run: Record<string, (a: string[]) => Promise<number>> = {
    systemctl: systemctlCommand,
    "systemd-notify": notifyCommand,
    journalctl: journalctlCommand,
    boot: () => bootCommand(),
  };
  const command = run[role ?? ""];
  if (!command) {
    process.stderr.write(`unknown role: ${role}\n`);
    process.exit(2);
  }
  process.exitCode = await command(args);
}

void main(process.argv.slice(2));

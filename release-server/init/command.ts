// `asg-release-server init`: set up the release host (volume, filesystem, mount, fstab, code, and
// the key that signs the release pointer).
import type { Command } from "commander";
import { addServerOptions, type ServerOptions } from "../server-options.js";

export function registerInit(program: Command): void {
  addServerOptions(
    program
      .command("init")
      .description(
        "Create or adopt the release volume in this host's zone, attach it, format it if blank, mount and persist it, copy the code; create the pointer signing key unless it exists",
      ),
  )
    .option("--fstab <file>", "where to persist the mount", "/etc/fstab")
    .action(async (opts: ServerOptions & { fstab: string }) => {
      const { initHost } = await import("./host.js");
      await initHost(opts);
    });
}

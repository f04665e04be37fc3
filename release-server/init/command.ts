// `asg-release-server init`: set up the release host (volume, filesystem, mount, fstab, code).
import type { Command } from "commander";
import { createAwsClients } from "#shared/aws/clients.js";
import { run } from "#shared/proc/run.js";
import { DEFAULT_RELEASE_DEVICE, loadServerSettings } from "../config.js";
import { addServerOptions, type ServerOptions } from "../serve.js";
import { readIdentity } from "#shared/aws/imds.js";
import { runInit } from "./run.js";

export function registerInit(program: Command): void {
  addServerOptions(
    program
      .command("init")
      .description(
        "Create or adopt the release volume in this host's zone, attach it, format it if blank, mount and persist it, copy the code",
      ),
  )
    .option("--fstab <file>", "where to persist the mount", "/etc/fstab")
    .action(async (opts: ServerOptions & { fstab: string }) => {
      const settings = await loadServerSettings(opts.config, { stateDir: opts.stateDir });
      const me = await readIdentity();
      const aws = createAwsClients({ region: me.region });
      try {
        const say = (line: string) => process.stdout.write(`${line}\n`);
        say(`release host ${me.instanceId} in ${me.availabilityZone}`);
        const volumeId = await runInit(aws, run, me, settings, {
          device: settings.config.release.device ?? DEFAULT_RELEASE_DEVICE,
          fstabFile: opts.fstab,
          byIdDir: "/dev/disk/by-id",
          say,
        });
        say(
          `ready: ${volumeId} mounted at ${settings.publish.mountPath}; start asg-release-server to serve releases`,
        );
      } finally {
        aws.destroy();
      }
    });
}

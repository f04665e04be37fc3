// What `asg-release-server init` does (init/command.ts declares it): read the host's identity, then
// set the release volume up (init/run.ts). Loaded by the command's action only.
import { createAwsClients } from "#shared/aws/clients.js";
import { readIdentity } from "#shared/aws/imds.js";
import { run } from "#shared/proc/run.js";
import { DEFAULT_RELEASE_DEVICE, loadServerSettings } from "../config.js";
import type { ServerOptions } from "../server-options.js";
import { runInit } from "./run.js";

export async function initHost(opts: ServerOptions & { fstab: string }): Promise<void> {
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
}

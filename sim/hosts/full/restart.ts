// Prepares the state dir of a stopped host for its next boot: what a power cycle keeps (the host key,
// the overlays' upper layers, container storage, /release) stays; what a boot makes anew (/run, /tmp,
// the /dev overlay with its volume links) is emptied; sshd's config and the holder script are
// written again for the machine as it is now.
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import type { HostSpec } from "../driver.js";
import { HostError } from "../errors.js";
import type { HostLayout } from "./layout.js";
import { makeDirs, writeBootFiles } from "./prepare.js";
import { overlayDirs } from "./private-mounts.js";

/** Returns the host's public ssh key, the one it had before the stop. */
export async function reuseStateDir(
  l: HostLayout,
  spec: HostSpec,
  env: Record<string, string>,
): Promise<string> {
  if (!existsSync(`${l.hostKey}.pub`)) {
    throw new HostError("IncorrectState", `no stopped host to start in ${l.dir}`, spec.instanceId);
  }
  const dev = overlayDirs(l, "/dev");
  for (const dir of [l.runDir, l.tmpDir, l.stagingDir, dev.upper, dev.work])
    await rm(dir, { recursive: true, force: true });
  await makeDirs(l);
  await writeBootFiles(l, spec, env);
  return (await readFile(`${l.hostKey}.pub`, "utf8")).trim();
}

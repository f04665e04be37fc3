// Where a full host keeps its things on the machine, all under its own state directory.
import { join } from "node:path";
import { HostError } from "../errors.js";

export interface HostLayout {
  dir: string;
  /** Records for cleanup after a crash: holder pid, namespace, loop devices. */
  recordFile: string;
  holderScript: string;
  holderLog: string;
  consoleLog: string;
  sshDir: string;
  sshdConfig: string;
  hostKey: string;
  authorizedKeys: string;
  sshdLog: string;
  bootDir: string;
  /** Upper and work directories of the overlays (etc, var, dev) and the staging mount points. */
  overlayDir: string;
  stagingDir: string;
  /** Fresh directories bound over /run, /tmp, /release, /var/lib/containers. */
  runDir: string;
  tmpDir: string;
  releaseDir: string;
  containersDir: string;
}

// Overlay mount options are comma- and colon-separated, and paths go into generated shell scripts.
const SAFE_PATH = /^\/[A-Za-z0-9._/-]+$/;

export function hostLayout(stateRoot: string, instanceId: string): HostLayout {
  const dir = join(stateRoot, instanceId);
  if (!SAFE_PATH.test(dir)) {
    throw new HostError(
      "InvalidParameterValue",
      `state dir must be an absolute path of [A-Za-z0-9._/-]: ${dir}`,
      instanceId,
    );
  }
  const sshDir = join(dir, "ssh");
  return {
    dir,
    recordFile: join(dir, "host.json"),
    holderScript: join(dir, "holder.sh"),
    holderLog: join(dir, "holder.log"),
    consoleLog: join(dir, "console.log"),
    sshDir,
    sshdConfig: join(sshDir, "sshd_config"),
    hostKey: join(sshDir, "ssh_host_ed25519_key"),
    authorizedKeys: join(sshDir, "authorized_keys"),
    sshdLog: join(sshDir, "sshd.log"),
    bootDir: join(dir, "boot"),
    overlayDir: join(dir, "overlay"),
    stagingDir: join(dir, "staging"),
    runDir: join(dir, "run"),
    tmpDir: join(dir, "tmp"),
    releaseDir: join(dir, "release"),
    containersDir: join(dir, "containers"),
  };
}

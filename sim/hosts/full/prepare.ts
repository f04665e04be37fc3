// Lays out a new host's state dir before its namespaces exist: the directories its private mounts
// use, the first files of its own /etc and /dev (written into the overlays' upper layers), the sshd
// configuration and keys, and the holder script.
import { mkdir, readFile, symlink, writeFile, chmod } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { HostSpec } from "../driver.js";
import { HostError } from "../errors.js";
import { readMountinfo } from "../proc/mountinfo.js";
import type { HostLayout } from "./layout.js";
import { containersConf, insecureRegistriesConf, PODMAN_FILES, storageConf } from "./podman-config.js";
import { holderScript, overlayDirs, privateMounts } from "./private-mounts.js";
import { generateHostKey, sshdConfig } from "./sshd.js";

async function put(path: string, content: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content, { mode });
}

async function hostsFile(spec: HostSpec): Promise<string> {
  const machine = await readFile("/etc/hosts", "utf8").catch(() => "127.0.0.1 localhost\n");
  const short = spec.hostname.split(".")[0];
  return `${machine.trimEnd()}\n${spec.privateIp} ${spec.hostname}${short !== spec.hostname ? ` ${short}` : ""}\n`;
}

/** Files of the host's own /etc, as the upper layer of its /etc overlay. */
async function writeEtc(l: HostLayout, spec: HostSpec, registries: readonly string[]): Promise<void> {
  const etc = overlayDirs(l, "/etc").upper;
  const at = (p: string): string => join(etc, p.replace(/^\/etc\//, ""));
  await put(at(PODMAN_FILES.containersConf), containersConf());
  await put(at(PODMAN_FILES.storageConf), storageConf());
  await put(at(PODMAN_FILES.registriesConf), insecureRegistriesConf(registries));
  await put(at("/etc/hostname"), `${spec.hostname}\n`);
  await put(at("/etc/hosts"), await hostsFile(spec));
  // A fresh fstab: the machine's entries are not the host's.
  await put(
    at("/etc/fstab"),
    "# /etc/fstab of a sim host: <file system> <mount point> <type> <options> <dump> <pass>\n",
  );
}

/** Refuses a state dir that exists: it may belong to a running host, or to one to reclaim first. */
export async function createStateDir(l: HostLayout, instanceId: string): Promise<void> {
  await mkdir(dirname(l.dir), { recursive: true });
  try {
    await mkdir(l.dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") {
      throw new HostError(
        "IncorrectState",
        `state dir already exists (reclaim it first): ${l.dir}`,
        instanceId,
      );
    }
    throw e;
  }
}

export async function makeDirs(l: HostLayout): Promise<void> {
  for (const m of privateMounts(l)) {
    if (m.kind !== "overlay") continue;
    const { upper, work } = overlayDirs(l, m.path);
    await mkdir(upper, { recursive: true });
    await mkdir(work, { recursive: true });
  }
  for (const d of [l.sshDir, l.bootDir, l.stagingDir, l.releaseDir, l.containersDir])
    await mkdir(d, { recursive: true });
  // The fresh /run: sshd's privilege separation directory and the usual links.
  await mkdir(join(l.runDir, "sshd"), { recursive: true });
  await mkdir(join(l.runDir, "lock"), { recursive: true });
  await chmod(join(l.runDir, "lock"), 0o1777);
  await symlink("/dev/shm", join(l.runDir, "shm"));
  await mkdir(l.tmpDir, { recursive: true });
  await chmod(l.tmpDir, 0o1777);
  await mkdir(join(overlayDirs(l, "/dev").upper, "disk", "by-id"), { recursive: true });
}

/** Returns the host's public ssh key. */
export async function prepareHost(
  l: HostLayout,
  spec: HostSpec,
  env: Record<string, string>,
  registries: readonly string[],
): Promise<string> {
  await makeDirs(l);
  await writeEtc(l, spec, registries);
  const publicKey = await generateHostKey(l, spec.hostname);
  await writeBootFiles(l, spec, env);
  return publicKey;
}

/** What every boot writes: authorised keys, sshd's config and the holder script. */
export async function writeBootFiles(
  l: HostLayout,
  spec: HostSpec,
  env: Record<string, string>,
): Promise<void> {
  await put(l.authorizedKeys, `${spec.authorizedKeys.join("\n")}\n`, 0o600);
  // It carries the host environment, credentials included.
  await put(l.sshdConfig, sshdConfig(l, spec.privateIp, env), 0o600);
  await put(l.holderScript, holderScript(l, spec.hostname, readMountinfo()), 0o755);
}

// Cgroups that podman's cgroupfs manager creates on the machine for a host's containers
// (libpod_parent/libpod-<id> in every hierarchy). They outlive the host's namespaces, so stop
// removes them by container id, and the driver removes the shared parents it caused, once empty.
import { readdirSync, rmdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const CGROUP_ROOT = "/sys/fs/cgroup";
const PARENT = "libpod_parent";

/** cgroup v2 has one hierarchy at the root; v1 (and hybrid) one per controller directory. */
function hierarchies(): string[] {
  const roots = [CGROUP_ROOT];
  try {
    for (const e of readdirSync(CGROUP_ROOT, { withFileTypes: true })) {
      if (e.isDirectory()) roots.push(join(CGROUP_ROOT, e.name));
    }
  } catch {
    // no cgroup file system
  }
  return roots;
}

/** Container ids of a host's storage (<graphroot>/<driver>-containers/<id>). */
export function containerIds(containersDir: string): string[] {
  const storage = join(containersDir, "storage");
  const ids: string[] = [];
  try {
    for (const d of readdirSync(storage)) {
      if (!d.endsWith("-containers")) continue;
      for (const id of readdirSync(join(storage, d))) if (/^[0-9a-f]{64}$/.test(id)) ids.push(id);
    }
  } catch {
    // no storage yet
  }
  return ids;
}

export function containerCgroups(ids: string[]): string[] {
  return hierarchies().flatMap((h) =>
    ids.map((id) => join(h, PARENT, `libpod-${id}`)).filter((p) => existsSync(p)),
  );
}

/** rmdir, which the kernel refuses for a cgroup that still has processes or children. */
export function removeCgroups(paths: string[]): string[] {
  const left: string[] = [];
  for (const p of paths) {
    try {
      rmdirSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") left.push(p);
    }
  }
  return left;
}

/** The parents shared by all containers on the machine: libpod_parent and its conmon group. */
export function sharedParents(): string[] {
  return hierarchies()
    .flatMap((h) => [join(h, PARENT, "conmon"), join(h, PARENT)])
    .filter((p) => existsSync(p));
}

/** Removes the shared parents not in `existedBefore` (podman elsewhere on the machine made those), when idle. */
export function removeIdleParents(existedBefore: string[]): void {
  removeCgroups(sharedParents().filter((p) => !existedBefore.includes(p)));
}

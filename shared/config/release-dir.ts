// The directories a release may live in: release.mount_path (the release host), release.instance_path
// and the agent's mount.path (the instances). A volume is mounted over them and `rsync --delete`
// runs into them as root, so a system directory there would hide or wipe the system. Refused: the
// system directories themselves, and anything under those the system owns whole (/proc, /sys, /dev,
// /run, /boot, /etc, /usr, /bin, /sbin and /lib, /lib32, /lib64, /libx32). /home, /var, /tmp, /root, /srv, /opt and /mnt may
// hold a release directory of their own (/var/release), never be one.
import { posix } from "node:path";
import { describeValue } from "./describe.js";
import { absolutePath } from "./schema-kit.js";

/** Refused as release directories, exactly. */
const SYSTEM_DIRS = ["/", "/home", "/root", "/tmp", "/var", "/srv", "/opt", "/mnt", "/media", "/snap"];
/** Refused with everything under them. */
const SYSTEM_TREES = [
  ...["/proc", "/sys", "/dev", "/run", "/boot", "/etc", "/usr", "/bin", "/sbin"],
  ...["/lib", "/lib32", "/lib64", "/libx32"],
];

/** Why `path` cannot hold a release, or undefined when it can. */
export function systemDirProblem(path: string): string | undefined {
  const p = normalise(path);
  if (SYSTEM_DIRS.includes(p)) return `${p} is a system directory`;
  const tree = SYSTEM_TREES.find((t) => p === t || p.startsWith(`${t}/`));
  if (tree) return p === tree ? `${p} is a system directory` : `${p} is under ${tree}, a system directory`;
  return undefined;
}

/** An absolute path that holds a release: never a system directory. */
export const releaseDir = () =>
  absolutePath().superRefine((value, ctx) => {
    const problem = systemDirProblem(value);
    if (problem) {
      ctx.addIssue({
        code: "custom",
        message: `expected a directory of its own like "/release", got ${describeValue(value)}: ${problem}`,
      });
    }
  });

/** `..`, `.`, repeated and trailing slashes resolved: "/release/../etc/" is /etc. */
function normalise(path: string): string {
  const n = posix.normalize(path);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

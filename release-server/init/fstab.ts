// The release volume's /etc/fstab line on the release host: by UUID, `nofail` so a missing volume
// never stops the boot (fstab(5)), checked at boot after the root filesystem (pass 2). The file is
// edited by shared/fs/fstab.ts: one line per mount point, everything else kept.
import { renderFstabEntry } from "#shared/fs/fstab.js";

/**
 * How init mounts the release volume: nodev and nosuid, since the tree it holds comes from the
 * source directory and is pushed to every instance; nothing in it should act as a device or setuid.
 */
export const RELEASE_MOUNT_OPTIONS = ["nodev", "nosuid"] as const;

export function fstabLine(uuid: string, path: string, fsType: string): string {
  return renderFstabEntry({
    spec: `UUID=${uuid}`,
    path,
    fsType,
    options: ["defaults", ...RELEASE_MOUNT_OPTIONS, "nofail"],
    pass: 2,
  });
}

// The release volume's /etc/fstab line on the release host: by UUID, `nofail` so a missing volume
// never stops the boot (fstab(5)), checked at boot after the root filesystem (pass 2). The file is
// edited by shared/fs/fstab.ts: one line per mount point, everything else kept.
import { renderFstabEntry } from "#shared/fs/fstab.js";

export function fstabLine(uuid: string, path: string, fsType: string): string {
  return renderFstabEntry({
    spec: `UUID=${uuid}`,
    path,
    fsType,
    options: ["defaults", "nofail"],
    pass: 2,
  });
}

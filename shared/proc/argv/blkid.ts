// blkid: what filesystem a block device holds. `-o export` prints KEY=value lines; exit 2 means
// the device holds no filesystem blkid recognises (blkid(8)).

export const blkidArgv = (device: string): string[] => ["blkid", "-o", "export", device];

/** blkid exits 2 when nothing was found: an answer, not a failure. */
export const BLKID_NOTHING_FOUND = 2;

export interface BlkidInfo {
  uuid?: string;
  type?: string;
  label?: string;
}

export function parseBlkidExport(stdout: string): BlkidInfo {
  const info: BlkidInfo = {};
  for (const line of stdout.split("\n")) {
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === "UUID") info.uuid = value;
    else if (key === "TYPE") info.type = value;
    else if (key === "LABEL") info.label = value;
  }
  return info;
}

// host.json in a host's state dir: what the host holds on the machine, kept current so that a sim
// that died can still be cleaned up (see reclaim.ts).
import { readFile, rename, writeFile } from "node:fs/promises";

export interface HostRecord {
  instanceId: string;
  privateIp: string;
  unsharePid: number;
  holderPid: number;
  mountNamespace: string;
  loopDevices: { volumeId: string; device: string; imagePath: string }[];
}

export async function writeRecord(path: string, record: HostRecord): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

export async function readRecord(path: string): Promise<HostRecord | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as HostRecord;
  } catch {
    return undefined;
  }
}

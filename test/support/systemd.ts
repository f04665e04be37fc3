// A unit file as systemd-analyze verify can check it on a machine where the program is not installed.
import { chmod, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Copies `unitFile` into `dir` with /usr/local/bin/`program` pointing at an empty stand-in script
 * there (verify checks that ExecStart's program exists). Returns the copy's path.
 */
export async function unitWithStandIn(dir: string, unitFile: string, program: string): Promise<string> {
  const stand = join(dir, program);
  await writeFile(stand, "#!/bin/sh\n");
  await chmod(stand, 0o755);
  const unit = join(dir, `${program}.service`);
  await writeFile(unit, (await readFile(unitFile, "utf8")).replaceAll(`/usr/local/bin/${program}`, stand));
  return unit;
}

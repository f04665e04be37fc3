// A fresh state dir for a test under .sim-state/ of the working tree (git-ignored). Not under /tmp:
// hosts get a private /tmp, and a state dir outside it keeps paths the same inside and outside.
import { mkdir, mkdtemp } from "node:fs/promises";
import { join, resolve } from "node:path";

export async function makeStateDir(prefix: string, base = resolve(".sim-state")): Promise<string> {
  await mkdir(base, { recursive: true });
  return mkdtemp(join(base, `${prefix}-`));
}

// The rollback pin on disk (plan/pin.ts decides what it means): rollback.json in the state
// directory, so a restarted daemon still knows the fleet was rolled back on purpose.
import { readFile, rm } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "#shared/fs/atomic-write.js";
import { parseJsonAs } from "#shared/json.js";
import { compileExcludes, SYSTEM_EXCLUDES } from "./excludes.js";
import type { RollbackPin } from "./plan/pin.js";
import type { PublishSettings } from "./settings.js";
import { hashTree } from "./tree-hash.js";

const pinSchema = z.object({
  rolledBackTo: z.string().min(1),
  releaseId: z.string().min(1).optional(),
  sourceTreeHash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string().min(1),
});

export const pinPath = (stateDir: string): string => `${stateDir}/rollback.json`;

/** The pin, or undefined without one (an unreadable file counts as none: it only ever holds publishes back). */
export async function readPin(stateDir: string): Promise<RollbackPin | undefined> {
  const text = await readFile(pinPath(stateDir), "utf8").catch(() => undefined);
  return text === undefined ? undefined : parseJsonAs(pinSchema, text);
}

export async function writePin(stateDir: string, pin: RollbackPin): Promise<void> {
  await writeFileAtomic(pinPath(stateDir), `${JSON.stringify(pin, null, 2)}\n`, 0o644);
}

export async function clearPin(stateDir: string): Promise<void> {
  await rm(pinPath(stateDir), { force: true });
}

/** The watched tree's hash, as a publish of it would compute it (its excludes applied). */
export async function sourceTreeHash(s: Pick<PublishSettings, "source" | "excludes">): Promise<string> {
  return (await hashTree(s.source, compileExcludes([...SYSTEM_EXCLUDES, ...s.excludes]))).treeHash;
}

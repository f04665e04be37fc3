// The publish journal: one small file recording how far the current publish got, so that a restart
// after kill -9 at any point completes or abandons it (recovery.ts) instead of guessing. It is
// written atomically before each step's effect becomes visible to anyone else.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { AsgReleaseError } from "#shared/errors.js";
import { writeFileAtomic } from "#shared/fs/atomic-write.js";
import { parseJsonAs } from "#shared/json.js";

/** The steps in order; each names what is done when the journal says it. */
export const STEPS = [
  "started", // a publish began; the release volume may be half synced (its manifest is removed first)
  "synced", // the tree and then its manifest are on the volume; release id and tree hash are known
  "frozen", // fsfreeze -f is about to run or ran; CreateSnapshot may have been sent
  "snapshot-started", // CreateSnapshot returned snapshotId; the filesystem is thawed
  "snapshot-completed", // the snapshot is completed and tagged
  "pointer-published", // /snap.txt, /v1/release (and the S3 object) name the snapshot
  "fanned-out", // every listed member was pushed once
  "reconciled", // re-listed until converged, only unreachable left, or the deadline; stragglers recorded
] as const;

export type Step = (typeof STEPS)[number];
export type JournalStep = Step | "abandoned";

export const journalSchema = z.object({
  version: z.literal(1),
  step: z.enum([...STEPS, "abandoned"]),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** The release volume's mount point, so a restart can thaw it. */
  mountPath: z.string(),
  releaseId: z.string().optional(),
  treeHash: z.string().optional(),
  files: z.number().optional(),
  snapshotId: z.string().optional(),
  /** The tree is the released one already: no snapshot, no pointer change, only reconcile. */
  unchanged: z.boolean().optional(),
  /** An explicit rollback (`publish --rollback-to`): its pointer carries the rollback mark. */
  rollback: z.boolean().optional(),
  reason: z.string().optional(),
});

export type Journal = z.infer<typeof journalSchema>;

export function isTerminal(step: JournalStep): boolean {
  return step === "reconciled" || step === "abandoned";
}

export function stepIndex(step: Step): number {
  return STEPS.indexOf(step);
}

export function startJournal(mountPath: string, now: Date): Journal {
  const t = now.toISOString();
  return { version: 1, step: "started", startedAt: t, updatedAt: t, mountPath };
}

/** The journal moved to a later step; moving backwards or out of a finished publish is a bug. */
export function advance(
  journal: Journal,
  step: JournalStep,
  fields: Partial<Pick<Journal, "releaseId" | "treeHash" | "files" | "snapshotId" | "unchanged" | "reason">>,
  now: Date,
): Journal {
  if (isTerminal(journal.step)) {
    throw new AsgReleaseError(`publish journal: cannot move from ${journal.step} to ${step}`);
  }
  if (step !== "abandoned" && stepIndex(step) <= stepIndex(journal.step as Step)) {
    throw new AsgReleaseError(`publish journal: cannot move from ${journal.step} back to ${step}`);
  }
  return { ...journal, ...fields, step, updatedAt: now.toISOString() };
}

/**
 * Recovery only: back to "synced" to take the snapshot again, when the one journaled failed or
 * vanished. The volume still holds exactly the synced tree, so this repeats no work but the snapshot.
 */
export function rewindToSynced(journal: Journal, now: Date): Journal {
  return { ...journal, step: "synced", snapshotId: undefined, updatedAt: now.toISOString() };
}

export async function readJournal(path: string): Promise<Journal | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const journal = parseJsonAs(journalSchema, text);
  if (journal === undefined) {
    // Written atomically, so this is not a torn write: someone edited it or the disk is damaged.
    throw new AsgReleaseError(
      `publish journal ${path} is not valid; inspect it, then remove it to start afresh (the next publish re-syncs)`,
      { code: "JournalInvalid" },
    );
  }
  return journal;
}

export async function writeJournal(path: string, journal: Journal): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(journal, null, 2)}\n`);
}

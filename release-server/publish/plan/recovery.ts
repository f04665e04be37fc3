// What to do with a publish that a crash interrupted: a pure decision from the journal and what AWS
// says now. The rules: thaw a filesystem left frozen; never publish a pointer to a snapshot that is
// not completed; never leave a snapshot of this release behind unless the pipeline goes on with it;
// from the pointer on, only go forward (the release is public).
import type { ReleasePointer } from "#shared/release/pointer.js";
import { isTerminal, type Journal, type Step } from "../journal.js";

export type SnapshotState = "pending" | "completed" | "error" | "recoverable" | "recovering";

export interface RecoveryObserved {
  /** Snapshots tagged with the journal's release id, in any state. */
  snapshots: { snapshotId: string; state: SnapshotState }[];
  /** The pointer as currently published, if any. */
  pointer?: ReleasePointer;
}

export type RecoveryAction =
  | { kind: "unfreeze"; mountPath: string }
  | { kind: "delete-snapshot"; snapshotId: string; reason: string }
  /** A snapshot found by its release tag after a crash before its id was journaled. */
  | { kind: "record-snapshot"; snapshotId: string }
  /** Run the pipeline on from the step after `after`. */
  | { kind: "resume"; after: Step }
  | { kind: "abandon"; reason: string };

export function planRecovery(journal: Journal | undefined, observed: RecoveryObserved): RecoveryAction[] {
  if (!journal || isTerminal(journal.step)) return [];
  const step = journal.step as Step;
  const usable = observed.snapshots.filter((s) => !isFailed(s.state));
  const deleteAllBut = (keep: string | undefined, reason: string): RecoveryAction[] =>
    observed.snapshots
      .filter((s) => s.snapshotId !== keep && s.snapshotId !== observed.pointer?.snapshotId)
      .map((s) => ({ kind: "delete-snapshot" as const, snapshotId: s.snapshotId, reason }));

  switch (step) {
    case "started":
      return [
        ...deleteAllBut(undefined, "publish abandoned before its snapshot"),
        {
          kind: "abandon",
          reason: "interrupted while syncing the release volume; the next publish syncs again",
        },
      ];
    case "synced":
      return [...deleteAllBut(undefined, "not taken by this attempt"), { kind: "resume", after: "synced" }];
    case "frozen": {
      // kill -9 between fsfreeze -f and -u leaves every writer to the volume blocked.
      const thaw: RecoveryAction = { kind: "unfreeze", mountPath: journal.mountPath };
      const adopt = usable.find((s) => s.state === "completed") ?? usable[0];
      if (!adopt) {
        return [thaw, ...deleteAllBut(undefined, "failed snapshot"), { kind: "resume", after: "synced" }];
      }
      return [
        thaw,
        ...deleteAllBut(adopt.snapshotId, "duplicate snapshot of this release"),
        { kind: "record-snapshot", snapshotId: adopt.snapshotId },
        { kind: "resume", after: "snapshot-started" },
      ];
    }
    case "snapshot-started":
    case "snapshot-completed": {
      const own = observed.snapshots.find((s) => s.snapshotId === journal.snapshotId);
      if (!own || isFailed(own.state)) {
        // The volume still holds exactly the synced tree: take the snapshot again.
        return [
          ...deleteAllBut(undefined, own ? `snapshot ${own.state}` : "not the journaled snapshot"),
          { kind: "resume", after: "synced" },
        ];
      }
      if (step === "snapshot-completed" && isSuperseded(journal, observed.pointer)) {
        return [
          ...deleteAllBut(undefined, "superseded before its pointer was published"),
          { kind: "abandon", reason: `superseded by release ${observed.pointer?.releaseId}` },
        ];
      }
      // A pending snapshot is waited for by the pipeline's own step, which deletes it if it fails.
      return [
        ...deleteAllBut(own.snapshotId, "duplicate snapshot of this release"),
        { kind: "resume", after: step },
      ];
    }
    case "pointer-published":
    case "fanned-out":
      return [{ kind: "resume", after: step }];
    case "reconciled":
      return [];
  }
}

function isFailed(state: SnapshotState): boolean {
  return state === "error" || state === "recoverable" || state === "recovering";
}

/** Another publish (this server's or another's) put a newer release in the pointer meanwhile. */
function isSuperseded(journal: Journal, pointer: ReleasePointer | undefined): boolean {
  return pointer !== undefined && pointer.releaseId !== journal.releaseId && pointer.time > journal.startedAt;
}

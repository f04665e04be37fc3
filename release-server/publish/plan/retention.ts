// Which release snapshots to delete: keep the newest K completed ones, and never the current
// release, one a volume was made from and still exists, or the one a publish is working on.

export interface ReleaseSnapshot {
  snapshotId: string;
  state: string;
  /** ISO 8601 StartTime. */
  startTime: string;
  releaseId?: string;
}

export interface RetentionInput {
  /** The project's release snapshots (found by tag), any state. */
  snapshots: readonly ReleaseSnapshot[];
  keep: number;
  currentSnapshotId?: string;
  /** Snapshot ids that existing volumes were created from. */
  inUseSnapshotIds: ReadonlySet<string>;
  /** The snapshot of a publish in progress, if any. */
  inFlightSnapshotId?: string;
}

export interface DeleteSnapshot {
  kind: "delete-snapshot";
  snapshotId: string;
  releaseId?: string;
  reason: string;
}

export function planRetention(input: RetentionInput): DeleteSnapshot[] {
  const keep = Math.max(1, input.keep);
  const protectedIds = new Set(
    [input.currentSnapshotId, input.inFlightSnapshotId, ...input.inUseSnapshotIds].filter(
      (id): id is string => id !== undefined,
    ),
  );
  const completed = input.snapshots
    .filter((s) => s.state === "completed")
    .sort((a, b) => (a.startTime < b.startTime ? 1 : a.startTime > b.startTime ? -1 : 0));
  const actions: DeleteSnapshot[] = [];
  for (const s of completed.slice(keep)) {
    if (protectedIds.has(s.snapshotId)) continue;
    actions.push({
      kind: "delete-snapshot",
      snapshotId: s.snapshotId,
      releaseId: s.releaseId,
      reason: `older than the ${keep} newest releases`,
    });
  }
  // A failed snapshot is never a release; pending ones may be another publish's work in progress.
  for (const s of input.snapshots) {
    if (s.state === "error" && !protectedIds.has(s.snapshotId)) {
      actions.push({
        kind: "delete-snapshot",
        snapshotId: s.snapshotId,
        releaseId: s.releaseId,
        reason: "failed",
      });
    }
  }
  return actions;
}

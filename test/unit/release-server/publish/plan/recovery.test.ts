import { describe, expect, it } from "vitest";
import type { Journal, JournalStep } from "../../../../../release-server/publish/journal.js";
import { planRecovery, type RecoveryObserved } from "../../../../../release-server/publish/plan/recovery.js";

const journal = (step: JournalStep, extra: Partial<Journal> = {}): Journal => ({
  version: 1,
  step,
  startedAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:10.000Z",
  mountPath: "/release",
  releaseId: "r2",
  ...extra,
});
const pointer = (releaseId: string, snapshotId: string, time: string) => ({
  releaseId,
  snapshotId,
  treeHash: "0".repeat(64),
  time,
});
const none: RecoveryObserved = { snapshots: [] };

const cases: {
  rule: string;
  journal: Journal | undefined;
  observed: RecoveryObserved;
  plan: ReturnType<typeof planRecovery>;
}[] = [
  { rule: "no journal: nothing to do", journal: undefined, observed: none, plan: [] },
  { rule: "a reconciled publish is finished", journal: journal("reconciled"), observed: none, plan: [] },
  { rule: "an abandoned publish is finished", journal: journal("abandoned"), observed: none, plan: [] },
  {
    rule: "killed while syncing: abandon, the next publish syncs again",
    journal: journal("started", { releaseId: undefined }),
    observed: none,
    plan: [
      {
        kind: "abandon",
        reason: "interrupted while syncing the release volume; the next publish syncs again",
      },
    ],
  },
  {
    rule: "synced: resume with the snapshot",
    journal: journal("synced"),
    observed: none,
    plan: [{ kind: "resume", after: "synced" }],
  },
  {
    rule: "frozen without a snapshot: thaw, then take the snapshot again",
    journal: journal("frozen"),
    observed: none,
    plan: [
      { kind: "unfreeze", mountPath: "/release" },
      { kind: "resume", after: "synced" },
    ],
  },
  {
    rule: "frozen with a tagged snapshot: thaw, adopt it and wait for it",
    journal: journal("frozen"),
    observed: { snapshots: [{ snapshotId: "snap-a", state: "pending" }] },
    plan: [
      { kind: "unfreeze", mountPath: "/release" },
      { kind: "record-snapshot", snapshotId: "snap-a" },
      { kind: "resume", after: "snapshot-started" },
    ],
  },
  {
    rule: "frozen with a failed snapshot: thaw, delete it, take it again",
    journal: journal("frozen"),
    observed: { snapshots: [{ snapshotId: "snap-a", state: "error" }] },
    plan: [
      { kind: "unfreeze", mountPath: "/release" },
      { kind: "delete-snapshot", snapshotId: "snap-a", reason: "failed snapshot" },
      { kind: "resume", after: "synced" },
    ],
  },
  {
    rule: "snapshot started and still pending: the pipeline waits for it",
    journal: journal("snapshot-started", { snapshotId: "snap-a" }),
    observed: { snapshots: [{ snapshotId: "snap-a", state: "pending" }] },
    plan: [{ kind: "resume", after: "snapshot-started" }],
  },
  {
    rule: "snapshot started and failed: delete it and snapshot again, never publish it",
    journal: journal("snapshot-started", { snapshotId: "snap-a" }),
    observed: { snapshots: [{ snapshotId: "snap-a", state: "error" }] },
    plan: [
      { kind: "delete-snapshot", snapshotId: "snap-a", reason: "snapshot error" },
      { kind: "resume", after: "synced" },
    ],
  },
  {
    rule: "snapshot started but gone: snapshot again",
    journal: journal("snapshot-started", { snapshotId: "snap-a" }),
    observed: none,
    plan: [{ kind: "resume", after: "synced" }],
  },
  {
    rule: "extra snapshots of the same release are deleted",
    journal: journal("snapshot-started", { snapshotId: "snap-a" }),
    observed: {
      snapshots: [
        { snapshotId: "snap-a", state: "completed" },
        { snapshotId: "snap-b", state: "pending" },
      ],
    },
    plan: [
      { kind: "delete-snapshot", snapshotId: "snap-b", reason: "duplicate snapshot of this release" },
      { kind: "resume", after: "snapshot-started" },
    ],
  },
  {
    rule: "snapshot completed: publish the pointer",
    journal: journal("snapshot-completed", { snapshotId: "snap-a" }),
    observed: {
      snapshots: [{ snapshotId: "snap-a", state: "completed" }],
      pointer: pointer("r1", "snap-old", "2024-12-31T00:00:00.000Z"),
    },
    plan: [{ kind: "resume", after: "snapshot-completed" }],
  },
  {
    rule: "snapshot completed but a newer release was published meanwhile: abandon and delete ours",
    journal: journal("snapshot-completed", { snapshotId: "snap-a" }),
    observed: {
      snapshots: [{ snapshotId: "snap-a", state: "completed" }],
      pointer: pointer("r3", "snap-new", "2025-01-01T00:01:00.000Z"),
    },
    plan: [
      {
        kind: "delete-snapshot",
        snapshotId: "snap-a",
        reason: "superseded before its pointer was published",
      },
      { kind: "abandon", reason: "superseded by release r3" },
    ],
  },
  {
    rule: "pointer published: only forward, fan out",
    journal: journal("pointer-published", { snapshotId: "snap-a" }),
    observed: none,
    plan: [{ kind: "resume", after: "pointer-published" }],
  },
  {
    rule: "fanned out: reconcile",
    journal: journal("fanned-out", { snapshotId: "snap-a" }),
    observed: none,
    plan: [{ kind: "resume", after: "fanned-out" }],
  },
  {
    rule: "the snapshot the pointer names is never deleted",
    journal: journal("started"),
    observed: {
      snapshots: [{ snapshotId: "snap-p", state: "completed" }],
      pointer: pointer("r2", "snap-p", "2025-01-01T00:00:00.000Z"),
    },
    plan: [
      {
        kind: "abandon",
        reason: "interrupted while syncing the release volume; the next publish syncs again",
      },
    ],
  },
];

describe("planRecovery", () => {
  it.each(cases)("$rule", ({ journal: j, observed, plan }) => {
    expect(planRecovery(j, observed)).toEqual(plan);
  });
});

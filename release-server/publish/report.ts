// What a publish tells its watchers while it runs (progress events) and when it ends (the report):
// the CLI draws its progress display and final table from these, the API streams them.
import type { Step } from "./journal.js";

export interface MemberOutcome {
  instanceId: string;
  asg: string;
  privateIp?: string;
  /** The release its manifest names, when it could be read. */
  releaseId?: string;
  status: "converged" | "straggler";
  reason?: string;
}

export interface PublishReport {
  result: "published" | "unchanged" | "failed";
  releaseId?: string;
  snapshotId?: string;
  treeHash?: string;
  startedAt: string;
  durationMs: number;
  members: MemberOutcome[];
  error?: string;
  /** Skipped, not published: a rollback pins the fleet until the watched tree changes (plan/pin.ts). */
  pinned?: string;
  /**
   * Its reconcile was cut short by a newer publish waiting behind it: the stragglers are as its last
   * pass saw them, and that publish pushes them again.
   */
  superseded?: boolean;
}

export type ProgressEvent =
  | { type: "step"; step: Step | "recovered"; status: "start" | "done" | "skip" | "fail"; message?: string }
  | { type: "push"; instanceId: string; status: "ok" | "failed"; message?: string }
  | { type: "result"; report: PublishReport };

export type Progress = (event: ProgressEvent) => void;

export const noProgress: Progress = () => {};

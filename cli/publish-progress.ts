// How `asg-release publish` reads the server's progress events: which shown step each one settles
// or writes under. Pure, so the mapping (an unchanged tree's jumped-over steps above all) is tested
// without a server.
import type { Step } from "../release-server/publish/journal.js";
import type { ProgressEvent } from "../release-server/publish/report.js";

/** The steps as shown; "frozen" is part of taking the snapshot. */
export const SHOWN: { step: Step; title: string }[] = [
  { step: "synced", title: "Sync the tree into the release volume, manifest last" },
  { step: "snapshot-started", title: "Freeze the volume, create the snapshot, thaw" },
  { step: "snapshot-completed", title: "Wait for the snapshot to complete" },
  { step: "pointer-published", title: "Publish the pointer" },
  { step: "fanned-out", title: "Push to every member" },
  { step: "reconciled", title: "Reconcile until every member reports the release" },
];

/** What a skipped step says when the tree is the published one. */
export const NOTHING_TO_PUBLISH = "nothing to publish: the tree is the published one";

export type Action =
  | { kind: "settle"; step: Step; outcome: "done" | "skip" }
  | { kind: "output"; step: Step; text: string }
  /** Said once and kept in sight: a dead publisher's lock taken over, a guard overridden, a resume. */
  | { kind: "note"; text: string }
  | { kind: "end"; error?: string }
  | { kind: "none" };

/**
 * Returns a reader of the events of one publish. A step reported done that was never started was
 * jumped over: an unchanged tree goes from the sync straight to the members, and the server
 * journals that jump as the pointer being published, though nothing new was.
 */
export function progressReader(): (e: ProgressEvent) => Action {
  const started = new Set<string>();
  return (e) => {
    if (e.type === "result")
      return e.report.result === "failed"
        ? { kind: "end", error: e.report.error ?? "publish failed" }
        : { kind: "end" };
    if (e.type === "push")
      return {
        kind: "output",
        step: "fanned-out",
        text: `${e.instanceId}: ${e.status}${e.message ? ` (${e.message})` : ""}`,
      };
    if (e.step === "recovered") return { kind: "note", text: e.message ?? "resumed an interrupted publish" };
    const step: Step = e.step === "frozen" ? "snapshot-started" : e.step;
    if (e.status === "start") {
      started.add(e.step);
      return e.message ? { kind: "output", step, text: e.message } : { kind: "none" };
    }
    if (e.status === "done" || e.status === "skip") {
      const jumped = e.status === "done" && e.step === "pointer-published" && !started.has(e.step);
      return { kind: "settle", step, outcome: jumped ? "skip" : e.status };
    }
    return e.message ? { kind: "output", step, text: e.message } : { kind: "none" };
  };
}

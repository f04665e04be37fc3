// The shrink guard: whether a publish may replace the current release with a tree this much
// smaller. An empty tree, or one with fewer files or bytes by more than the allowed share, is more
// likely a source emptied or caught half written than a release: it would be pushed with --delete
// to every member. Only an operator's explicit override (`asg-release publish --allow-shrink`,
// for that one publish) lets it through; the watcher never asks for one.

export interface TreeSize {
  files: number;
  bytes: number;
}

export interface ShrinkInput {
  /** The current release on the release volume; undefined when there is none yet. */
  before: TreeSize | undefined;
  /** The tree about to be published. */
  after: TreeSize;
  /** The largest share of files or bytes a publish may remove, in percent (release.max_shrink_percent). */
  maxShrinkPercent: number;
  allowShrink: boolean;
}

export type ShrinkDecision = { ok: true; overridden?: string } | { ok: false; problem: string };

export function planShrink(input: ShrinkInput): ShrinkDecision {
  const problem = shrinkProblem(input);
  if (!problem) return { ok: true };
  return input.allowShrink ? { ok: true, overridden: problem } : { ok: false, problem };
}

function shrinkProblem(input: ShrinkInput): string | undefined {
  const reason = shrinkReason(input);
  if (!reason) return undefined;
  const { before, after } = input;
  const was = (k: keyof TreeSize) => (before ? String(before[k]) : "none");
  return `${reason}: files ${was("files")} -> ${after.files}, bytes ${was("bytes")} -> ${after.bytes}`;
}

function shrinkReason({ before, after, maxShrinkPercent }: ShrinkInput): string | undefined {
  if (after.files === 0) return "the tree to publish is empty";
  if (!before || before.files === 0) return undefined;
  // The net loss: a tree that renames every file removes nothing here, one that drops most does.
  const removed = (k: keyof TreeSize) => (before[k] > 0 ? Math.max(0, before[k] - after[k]) / before[k] : 0);
  const over = (["files", "bytes"] as const).filter((k) => removed(k) * 100 > maxShrinkPercent);
  if (over.length === 0) return undefined;
  const parts = over.map((k) => `${Math.round(removed(k) * 100)}% of the ${k}`);
  return `it would remove ${parts.join(" and ")} of the current release, more than release.max_shrink_percent (${maxShrinkPercent}%)`;
}

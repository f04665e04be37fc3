// The status page's memory: the last publishes with how long each step took, and a time series of
// how many members ran each release. Both are kept in memory and bounded, so a long-running daemon
// holds at most a few hundred small records; a restart starts them afresh.
import type { MemberOutcome, ProgressEvent, PublishReport } from "../../publish/report.js";

/** Publishes kept for the page (newest first). */
export const MAX_PUBLISHES = 20;
/** Points of the members-per-release series kept (oldest dropped first). */
export const MAX_TIMELINE_POINTS = 240;

/** What a member counts as when its manifest could not be read. */
export const UNKNOWN_RELEASE = "(unknown)";

export interface StepTiming {
  step: string;
  status: "done" | "skip" | "fail" | "start";
  /** From the step's start to its end; absent when it was skipped or never seen starting. */
  ms?: number;
}

/** One publish as the page shows it: the report without its member list, with step timings. */
export interface PublishRecord {
  at: string;
  result: PublishReport["result"];
  releaseId?: string;
  snapshotId?: string;
  startedAt: string;
  durationMs: number;
  error?: string;
  pinned?: string;
  members: number;
  stragglers: number;
  steps: StepTiming[];
}

/** How many members ran each release when they were checked. */
export interface TimelinePoint {
  at: string;
  counts: Record<string, number>;
}

/**
 * Times a publish's steps from its progress events. A step may announce its start more than once
 * (snapshot progress): the first start counts. A step that ends without a start seen (a publish
 * resumed after a restart) has no duration.
 */
export class StepClock {
  private readonly order: string[] = [];
  private readonly started = new Map<string, number>();
  private readonly ended = new Map<string, StepTiming>();

  constructor(private readonly now: () => number = Date.now) {}

  see(e: ProgressEvent): void {
    if (e.type !== "step") return;
    const step = e.step;
    if (!this.order.includes(step)) this.order.push(step);
    if (e.status === "start") {
      if (!this.started.has(step)) this.started.set(step, this.now());
      return;
    }
    const start = this.started.get(step);
    const ms = e.status !== "skip" && start !== undefined ? Math.max(0, this.now() - start) : undefined;
    this.ended.set(step, { step, status: e.status, ...(ms !== undefined ? { ms } : {}) });
  }

  /** Each step seen, in the order first seen; one still running has status "start". */
  timings(): StepTiming[] {
    return this.order.map((step) => this.ended.get(step) ?? { step, status: "start" });
  }
}

export function publishRecord(report: PublishReport, at: Date, steps: StepTiming[]): PublishRecord {
  return {
    at: at.toISOString(),
    result: report.result,
    ...(report.releaseId ? { releaseId: report.releaseId } : {}),
    ...(report.snapshotId ? { snapshotId: report.snapshotId } : {}),
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    ...(report.error ? { error: report.error } : {}),
    ...(report.pinned ? { pinned: report.pinned } : {}),
    members: report.members.length,
    stragglers: report.members.filter((m) => m.status === "straggler").length,
    steps,
  };
}

export function countByRelease(members: MemberOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of members) {
    const id = m.releaseId ?? UNKNOWN_RELEASE;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

/** Appends to a list kept at most `max` long, dropping from the front. */
export function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

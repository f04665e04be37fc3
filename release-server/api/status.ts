// What /v1/status reports and `asg-release status` prints: the current release, each member's
// release as last seen, the stragglers, and whether a rollback pins the fleet; for the status page,
// the last publishes with their step timings and how many members ran each release over time.
import type { ReleasePointer } from "#shared/release/pointer.js";
import type { HousekeepingRun } from "../publish/housekeeping-run.js";
import { pinnedMessage, type RollbackPin } from "../publish/plan/pin.js";
import type { MemberOutcome, PublishReport } from "../publish/report.js";
import {
  countByRelease,
  MAX_PUBLISHES,
  MAX_TIMELINE_POINTS,
  publishRecord,
  pushBounded,
  type PublishRecord,
  type StepTiming,
  type TimelinePoint,
} from "./status-page/history.js";

export interface StatusReport {
  project: string;
  current: ReleasePointer | null;
  publishing: boolean;
  lastPublish: PublishReport | null;
  /** When the members were last checked (publish or scheduled reconcile). */
  checkedAt: string | null;
  members: MemberOutcome[];
  stragglers: MemberOutcome[];
  /** The last housekeeping run, with what it could not clean up. */
  housekeeping: HousekeepingRun | null;
  /**
   * Set after `asg-release publish --rollback-to`: the watcher does not publish the unchanged
   * watched tree over the rollback until it changes (or an operator publishes).
   */
  pinned?: (RollbackPin & { message: string }) | null;
  /** The last publishes since the daemon started, newest first, with their step timings. */
  publishes?: PublishRecord[];
  /** Members per release at each check since the daemon started, oldest first. */
  timeline?: TimelinePoint[];
}

export class StatusBoard {
  private lastPublish: PublishReport | null = null;
  private checked: { at: string; members: MemberOutcome[] } | null = null;
  private housekeeping: HousekeepingRun | null = null;
  private readonly publishes: PublishRecord[] = [];
  private readonly timeline: TimelinePoint[] = [];

  constructor(
    private readonly project: string,
    private readonly current: () => ReleasePointer | undefined,
    private readonly publishing: () => boolean,
    private readonly pin: () => RollbackPin | undefined = () => undefined,
  ) {}

  /** `steps`: the publish's step timings (status-page/history.ts StepClock), when they were taken. */
  published(report: PublishReport, at: Date, steps: StepTiming[] = []): void {
    this.lastPublish = report;
    pushBounded(this.publishes, publishRecord(report, at, steps), MAX_PUBLISHES);
    // A publish held back by a rollback pin checked no member: the last check stands.
    if (report.result !== "failed" && !report.pinned) {
      this.checked = { at: at.toISOString(), members: report.members };
      this.point(report.members, at);
    }
  }

  reconciled(members: MemberOutcome[], at: Date): void {
    this.checked = { at: at.toISOString(), members };
    this.point(members, at);
  }

  private point(members: MemberOutcome[], at: Date): void {
    pushBounded(
      this.timeline,
      { at: at.toISOString(), counts: countByRelease(members) },
      MAX_TIMELINE_POINTS,
    );
  }

  housekept(run: HousekeepingRun): void {
    this.housekeeping = run;
  }

  report(): StatusReport {
    const members = this.checked?.members ?? [];
    const pin = this.pin();
    return {
      project: this.project,
      current: this.current() ?? null,
      publishing: this.publishing(),
      lastPublish: this.lastPublish,
      checkedAt: this.checked?.at ?? null,
      members,
      stragglers: members.filter((m) => m.status === "straggler"),
      housekeeping: this.housekeeping,
      pinned: pin ? { ...pin, message: pinnedMessage(pin) } : null,
      publishes: [...this.publishes].reverse(),
      timeline: [...this.timeline],
    };
  }
}

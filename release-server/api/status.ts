// What /v1/status reports and `asg-release status` prints: the current release, each member's
// release as last seen, the stragglers, and whether a rollback pins the fleet.
import type { ReleasePointer } from "#shared/release/pointer.js";
import type { HousekeepingRun } from "../publish/housekeeping-run.js";
import { pinnedMessage, type RollbackPin } from "../publish/plan/pin.js";
import type { MemberOutcome, PublishReport } from "../publish/report.js";

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
}

export class StatusBoard {
  private lastPublish: PublishReport | null = null;
  private checked: { at: string; members: MemberOutcome[] } | null = null;
  private housekeeping: HousekeepingRun | null = null;

  constructor(
    private readonly project: string,
    private readonly current: () => ReleasePointer | undefined,
    private readonly publishing: () => boolean,
    private readonly pin: () => RollbackPin | undefined = () => undefined,
  ) {}

  published(report: PublishReport, at: Date): void {
    this.lastPublish = report;
    // A publish held back by a rollback pin checked no member: the last check stands.
    if (report.result !== "failed" && !report.pinned)
      this.checked = { at: at.toISOString(), members: report.members };
  }

  reconciled(members: MemberOutcome[], at: Date): void {
    this.checked = { at: at.toISOString(), members };
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
    };
  }
}

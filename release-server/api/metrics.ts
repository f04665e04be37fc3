// The daemon's Prometheus metrics, in the text exposition format (version 0.0.4), hand-written: a
// few counters, gauges and one histogram do not need a library.

const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800];

export type PublishResult = "published" | "unchanged" | "failed";
export type PushResult = "ok" | "failed";
export type HousekeepingStepName = "retention" | "sweep" | "known-hosts";
const HOUSEKEEPING_STEPS: readonly HousekeepingStepName[] = ["retention", "sweep", "known-hosts"];

export class Metrics {
  private readonly publishes = new Map<PublishResult, number>();
  private readonly pushes = new Map<PushResult, number>();
  private readonly durationBuckets = DURATION_BUCKETS.map(() => 0);
  private durationSum = 0;
  private durationCount = 0;
  private stragglers = 0;
  private members = 0;
  private current: { releaseId: string; snapshotId: string } | undefined;
  private lastSuccess = 0;
  private readonly housekeepingFailures = new Map<HousekeepingStepName, number>();
  private lastHousekeeping = 0;

  recordPublish(result: PublishResult, seconds: number, at: Date): void {
    this.publishes.set(result, (this.publishes.get(result) ?? 0) + 1);
    if (result === "failed") return;
    this.lastSuccess = at.getTime() / 1000;
    this.durationSum += seconds;
    this.durationCount++;
    DURATION_BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.durationBuckets[i] = (this.durationBuckets[i] ?? 0) + 1;
    });
  }

  recordPush(result: PushResult): void {
    this.pushes.set(result, (this.pushes.get(result) ?? 0) + 1);
  }

  setFleet(members: number, stragglers: number): void {
    this.members = members;
    this.stragglers = stragglers;
  }

  /** One housekeeping run: the steps or items that failed in it (each is retried next run). */
  recordHousekeeping(failedSteps: readonly HousekeepingStepName[], at: Date): void {
    for (const step of failedSteps)
      this.housekeepingFailures.set(step, (this.housekeepingFailures.get(step) ?? 0) + 1);
    this.lastHousekeeping = at.getTime() / 1000;
  }

  setCurrent(releaseId: string, snapshotId: string): void {
    this.current = { releaseId, snapshotId };
  }

  render(): string {
    const out: string[] = [];
    const family = (name: string, type: string, help: string) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

    family("asg_release_publishes_total", "counter", "Publishes by result.");
    for (const r of ["published", "unchanged", "failed"] as const) {
      out.push(`asg_release_publishes_total{result="${r}"} ${this.publishes.get(r) ?? 0}`);
    }
    family("asg_release_publish_duration_seconds", "histogram", "Duration of successful publishes.");
    DURATION_BUCKETS.forEach((le, i) =>
      out.push(`asg_release_publish_duration_seconds_bucket{le="${le}"} ${this.durationBuckets[i] ?? 0}`),
    );
    out.push(
      `asg_release_publish_duration_seconds_bucket{le="+Inf"} ${this.durationCount}`,
      `asg_release_publish_duration_seconds_sum ${this.durationSum}`,
      `asg_release_publish_duration_seconds_count ${this.durationCount}`,
    );
    family("asg_release_fanout_pushes_total", "counter", "Pushes to instances by result.");
    for (const r of ["ok", "failed"] as const) {
      out.push(`asg_release_fanout_pushes_total{result="${r}"} ${this.pushes.get(r) ?? 0}`);
    }
    family("asg_release_members", "gauge", "Target ASG members at the last reconcile.");
    out.push(`asg_release_members ${this.members}`);
    family("asg_release_stragglers", "gauge", "Members not on the current release at the last reconcile.");
    out.push(`asg_release_stragglers ${this.stragglers}`);
    family("asg_release_last_success_timestamp_seconds", "gauge", "When the last publish succeeded.");
    out.push(`asg_release_last_success_timestamp_seconds ${this.lastSuccess}`);
    family(
      "asg_release_housekeeping_failures_total",
      "counter",
      "Housekeeping items or steps that failed, by step; each is retried on the next run.",
    );
    for (const step of HOUSEKEEPING_STEPS) {
      out.push(
        `asg_release_housekeeping_failures_total{step="${step}"} ${this.housekeepingFailures.get(step) ?? 0}`,
      );
    }
    family("asg_release_housekeeping_last_run_timestamp_seconds", "gauge", "When housekeeping last ran.");
    out.push(`asg_release_housekeeping_last_run_timestamp_seconds ${this.lastHousekeeping}`);
    if (this.current) {
      family("asg_release_current_release_info", "gauge", "The release the pointer names.");
      out.push(
        `asg_release_current_release_info{release_id="${escapeLabel(this.current.releaseId)}",snapshot_id="${escapeLabel(this.current.snapshotId)}"} 1`,
      );
    }
    return `${out.join("\n")}\n`;
  }
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

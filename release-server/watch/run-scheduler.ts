// The scheduler's runtime: one timer, one publish at a time, and the promises of whoever asked for
// a publish, resolved with the report of the publish that covered their request. A rollback
// request is served by a publish of its own, never merged with a publish of the watched tree. A
// change or request that has to wait for the running publish says so (`onQueued`): the daemon cuts
// that publish's reconcile short, so a straggler never holds the publishes queued behind it.
import type { Progress, ProgressEvent, PublishReport } from "../publish/report.js";
import { initialState, schedule, type SchedulerEvent, type SchedulerSettings } from "./scheduler.js";

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Waiter {
  resolve(r: PublishReport): void;
  reject(err: unknown): void;
  onEvent: Progress;
  opts: RequestOptions;
}

export interface RequestOptions {
  /** The operator's override of the shrink guard; a publish the watcher starts alone never has it. */
  allowShrink?: boolean;
  /** Publish this older release's tree again, as a rollback (`asg-release publish --rollback-to`). */
  rollbackTo?: string;
  /** An operator's request: it goes ahead even while a rollback pins the fleet (plan/pin.ts). */
  explicit?: boolean;
}

export class PublishScheduler {
  private state = initialState;
  private timer: unknown;
  private next: Waiter[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly settings: SchedulerSettings,
    private readonly publish: (onEvent: Progress, opts: RequestOptions) => Promise<PublishReport>,
    private readonly timers: Timers = realTimers,
    /** A change or request arrived while a publish runs: that publish's reconcile may stop waiting. */
    private readonly onQueued: () => void = () => {},
  ) {}

  /** A file in the watched tree changed. */
  changed(): void {
    this.dispatch({ kind: "change", now: this.timers.now() });
  }

  /** Publish as soon as possible; resolves with the report of the publish that covers this request. */
  request(onEvent: Progress = () => {}, opts: RequestOptions = {}): Promise<PublishReport> {
    return new Promise((resolve, reject) => {
      this.next.push({ resolve, reject, onEvent, opts });
      this.dispatch({ kind: "request", now: this.timers.now() });
    });
  }

  isPublishing(): boolean {
    return this.state.phase === "publishing";
  }

  /** Resolves when the running publish (if any) has finished. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private dispatch(event: SchedulerEvent): void {
    if ((event.kind === "change" || event.kind === "request") && this.isPublishing()) this.onQueued();
    const { state, effects } = schedule(this.state, event, this.settings);
    this.state = state;
    for (const e of effects) {
      if (e.kind === "clear-timer" || e.kind === "set-timer") {
        if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
        this.timer = undefined;
      }
      if (e.kind === "set-timer") {
        this.timer = this.timers.setTimeout(
          () => {
            this.timer = undefined;
            this.dispatch({ kind: "timer", now: this.timers.now() });
          },
          Math.max(0, e.at - this.timers.now()),
        );
      }
      if (e.kind === "start-publish") this.start();
    }
  }

  private start(): void {
    // The first request's kind (a rollback to one release, or a publish of the tree) is served now,
    // with every request of the same kind; the others wait for the next publish.
    const kind = this.next[0]?.opts.rollbackTo;
    const waiters = this.next.filter((w) => w.opts.rollbackTo === kind);
    this.next = this.next.filter((w) => w.opts.rollbackTo !== kind);
    const onEvent = (ev: ProgressEvent) => {
      for (const w of waiters) w.onEvent(ev);
    };
    // The override covers the publish that serves the request that asked for it, and no later one.
    const allowShrink = !kind && waiters.some((w) => w.opts.allowShrink);
    const explicit = waiters.some((w) => w.opts.explicit);
    const opts: RequestOptions = {
      ...(allowShrink ? { allowShrink } : {}),
      ...(kind ? { rollbackTo: kind } : {}),
      ...(explicit ? { explicit } : {}),
    };
    this.running = this.publish(onEvent, opts).then(
      (report) => waiters.forEach((w) => w.resolve(report)),
      (err: unknown) => waiters.forEach((w) => w.reject(err)),
    );
    void this.running.finally(() => {
      this.running = undefined;
      this.dispatch({ kind: "publish-done", now: this.timers.now() });
      // Requests of another kind than the one just served start the next publish.
      if (this.next.length > 0 && !this.isPublishing())
        this.dispatch({ kind: "request", now: this.timers.now() });
    });
  }
}

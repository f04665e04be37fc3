// The sim's clock: real time plus an offset the control API can advance, so tests can make
// timeouts (lifecycle heartbeats, snapshot completion, health thresholds) pass without waiting.
// Scheduled work runs from one ticker that compares due times with the offset clock. Each due task
// runs on its own: a slow one (a full host shutting down) never holds up the others.

interface Timer {
  due: number;
  fn: () => void | Promise<void>;
  label: string;
}

export class SimClock {
  private offsetMs = 0;
  private timers: Timer[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private onError: (label: string, err: unknown) => void = () => {};

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the clock forward and runs whatever became due, and whatever that made due, to the end. */
  async advance(ms: number): Promise<void> {
    this.offsetMs += ms;
    for (;;) {
      const started = this.startDue();
      if (started.length === 0) return;
      await Promise.all(started);
    }
  }

  /** Runs `fn` once, `ms` from now on the sim clock. Returns a cancel function. */
  after(ms: number, label: string, fn: () => void | Promise<void>): () => void {
    const timer: Timer = { due: this.nowMs() + ms, fn, label };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Runs `fn` every `ms` (sim clock) until the returned function is called. */
  every(ms: number, label: string, fn: () => void | Promise<void>): () => void {
    let cancelled = false;
    let cancelNext: () => void = () => {};
    const schedule = (): void => {
      cancelNext = this.after(ms, label, async () => {
        if (cancelled) return;
        try {
          await fn();
        } finally {
          if (!cancelled) schedule();
        }
      });
    };
    schedule();
    return () => {
      cancelled = true;
      cancelNext();
    };
  }

  start(tickMs: number, onError: (label: string, err: unknown) => void): void {
    this.onError = onError;
    this.ticker ??= setInterval(() => void this.startDue(), tickMs);
    this.ticker.unref();
  }

  /** Stops the ticker, drops what is scheduled and waits (up to `graceMs`) for tasks still running. */
  async stop(graceMs = 30_000): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.timers = [];
    if (this.inflight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.inflight),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private readonly inflight = new Set<Promise<void>>();

  /** Starts every due task, earliest first, each without waiting for the ones before it. */
  private startDue(): Promise<void>[] {
    const now = this.nowMs();
    const due = this.timers.filter((t) => t.due <= now).sort((a, b) => a.due - b.due);
    if (due.length === 0) return [];
    this.timers = this.timers.filter((t) => !due.includes(t));
    return due.map((t) => {
      const task = (async () => {
        try {
          await t.fn();
        } catch (err) {
          this.onError(t.label, err);
        }
      })();
      this.inflight.add(task);
      void task.finally(() => this.inflight.delete(task));
      return task;
    });
  }
}

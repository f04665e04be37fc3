// The sim clock's scheduling: due tasks run earliest first, a task that has not finished holds up
// no other, advance() runs chains of tasks to the end, and stop() waits for tasks still running.
import { describe, expect, it } from "vitest";
import { SimClock } from "../../../sim/control/clock.js";

/** A promise the test settles itself. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("SimClock", () => {
  it("runs due tasks earliest first", async () => {
    const clock = new SimClock();
    const order: string[] = [];
    clock.after(20, "b", () => void order.push("b"));
    clock.after(10, "a", () => void order.push("a"));
    clock.after(50, "later", () => void order.push("later"));
    await clock.advance(30);
    expect(order).toEqual(["a", "b"]);
  });

  it("does not let an unfinished task hold up the others", async () => {
    const clock = new SimClock();
    const slow = gate();
    const order: string[] = [];
    clock.after(10, "slow", async () => {
      order.push("slow started");
      await slow.promise;
      order.push("slow done");
    });
    clock.after(20, "quick", () => void order.push("quick"));
    const advanced = clock.advance(30);
    await Promise.resolve();
    await Promise.resolve();
    expect(order).toEqual(["slow started", "quick"]);
    slow.open();
    await advanced;
    expect(order).toEqual(["slow started", "quick", "slow done"]);
  });

  it("runs what a task schedules when that is due too", async () => {
    const clock = new SimClock();
    const order: string[] = [];
    clock.after(10, "first", () => {
      order.push("first");
      clock.after(0, "second", () => void order.push("second"));
    });
    await clock.advance(10);
    expect(order).toEqual(["first", "second"]);
  });

  it("never overlaps runs of a repeating task", async () => {
    const clock = new SimClock();
    const slow = gate();
    let running = 0;
    let most = 0;
    let runs = 0;
    const cancel = clock.every(10, "repeat", async () => {
      running += 1;
      most = Math.max(most, running);
      runs += 1;
      if (runs === 1) await slow.promise;
      running -= 1;
    });
    const advanced = clock.advance(10);
    await clock.advance(50);
    expect(runs).toBe(1);
    slow.open();
    await advanced;
    await clock.advance(10);
    cancel();
    expect(runs).toBe(2);
    expect(most).toBe(1);
  });

  it("reports a failing task and goes on", async () => {
    const clock = new SimClock();
    const errors: string[] = [];
    clock.start(1_000_000, (label, err) => errors.push(`${label}: ${(err as Error).message}`));
    let ran = false;
    clock.after(1, "bad", () => {
      throw new Error("boom");
    });
    clock.after(2, "good", () => {
      ran = true;
    });
    await clock.advance(5);
    expect(errors).toEqual(["bad: boom"]);
    expect(ran).toBe(true);
    await clock.stop();
  });

  it("stop() drops what is scheduled and waits for the tasks still running", async () => {
    const clock = new SimClock();
    const slow = gate();
    let finished = false;
    let dropped = true;
    clock.after(1, "running", async () => {
      await slow.promise;
      finished = true;
    });
    clock.after(100, "scheduled", () => {
      dropped = false;
    });
    void clock.advance(1);
    const stopped = clock.stop();
    setTimeout(slow.open, 5);
    await stopped;
    expect(finished).toBe(true);
    await clock.advance(1000);
    expect(dropped).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import type { MemberState } from "../../../../../release-server/publish/plan/fanout.js";
import type { Member } from "../../../../../release-server/publish/members.js";
import { planReconcile } from "../../../../../release-server/publish/plan/reconcile.js";
import {
  givenUp,
  recordAttempt,
  type Streak,
  type UnreachableRule,
} from "../../../../../release-server/publish/plan/unreachable.js";

const m = (n: number, lifecycleState = "InService"): Member => ({
  instanceId: `i-${n}`,
  asg: "web",
  lifecycleState,
  privateIp: `127.1.0.${n}`,
});
const refused: MemberState = { kind: "unreachable", message: "ssh: connect to host: Connection refused" };
const rule: UnreachableRule = { attempts: 3, afterMs: 60_000 };

/** The streaks after attempts on i-1 at the given times (ms) with the given answers. */
function attempts(...tries: [number, MemberState | undefined][]): Map<string, Streak> {
  let streaks = new Map<string, Streak>();
  for (const [at, state] of tries) streaks = recordAttempt(streaks, "i-1", state, at);
  return streaks;
}

describe("recordAttempt", () => {
  it("starts a streak at the first failed connection and counts the next ones", () => {
    expect(attempts([1000, refused], [3000, refused]).get("i-1")).toEqual({
      failures: 2,
      sinceMs: 1000,
      message: refused.message,
    });
  });
  it("ends the streak when the member answers, whatever it says", () => {
    expect(attempts([0, refused], [10, { kind: "no-manifest" }]).has("i-1")).toBe(false);
    expect(attempts([0, refused], [10, { kind: "not-mounted" }]).has("i-1")).toBe(false);
  });
  it("leaves the streak alone after an attempt that never reached the member", () => {
    expect(attempts([0, refused], [10, undefined]).get("i-1")?.failures).toBe(1);
  });
  it("does not change the map it was given", () => {
    const before = attempts([0, refused]);
    recordAttempt(before, "i-1", refused, 10);
    expect(before.get("i-1")?.failures).toBe(1);
  });
});

describe("givenUp", () => {
  it("gives up on a member after the set number of failed attempts in a row", () => {
    const streaks = attempts([0, refused], [2000, refused], [4000, refused]);
    expect(givenUp([m(1)], streaks, 4000, rule)).toEqual(
      new Map([["i-1", `unreachable: ${refused.message} (3 failed attempts in 4 s)`]]),
    );
  });
  it("gives up on a member whose failures lasted the set time, however few", () => {
    const streaks = attempts([0, { kind: "unreachable", message: "timed out" }]);
    expect(givenUp([m(1)], streaks, 59_999, rule).size).toBe(0);
    expect(givenUp([m(1)], streaks, 60_000, rule).get("i-1")).toBe(
      "unreachable: timed out (1 failed attempt in 60 s)",
    );
  });
  it("keeps trying a member with fewer failures in a shorter time", () => {
    expect(givenUp([m(1)], attempts([0, refused], [2000, refused]), 2000, rule).size).toBe(0);
  });
  it("never gives up on a member still booting: it is waited for until the deadline", () => {
    const streaks = attempts([0, refused], [1, refused], [2, refused]);
    expect(givenUp([m(1, "Pending")], streaks, 120_000, rule).size).toBe(0);
    expect(givenUp([m(1, "Pending:Wait")], streaks, 120_000, rule).size).toBe(0);
  });
  it("never gives up without a rule", () => {
    expect(givenUp([m(1)], attempts([0, refused], [1, refused], [2, refused]), 1e9, undefined).size).toBe(0);
  });
});

describe("a reconcile with a member given up on", () => {
  const gaveUp = new Map([["i-2", "unreachable: Connection refused (3 failed attempts in 4 s)"]]);
  it("reports it as a straggler as soon as every other member converged", () => {
    expect(
      planReconcile({
        members: [m(1), m(2)],
        releaseId: "r2",
        states: new Map<string, MemberState>([
          ["i-1", { kind: "on-release", releaseId: "r2" }],
          ["i-2", refused],
        ]),
        givenUp: gaveUp,
        deadlinePassed: false,
      }),
    ).toEqual({
      kind: "stragglers",
      stragglers: [
        {
          instanceId: "i-2",
          asg: "web",
          reason: "unreachable: Connection refused (3 failed attempts in 4 s)",
          settled: true,
        },
      ],
      converged: ["i-1"],
    });
  });
  it("does not push to it again, while the others still converge", () => {
    const d = planReconcile({
      members: [m(1), m(2)],
      releaseId: "r2",
      states: new Map<string, MemberState>([
        ["i-1", { kind: "on-release", releaseId: "r1" }],
        ["i-2", refused],
      ]),
      givenUp: gaveUp,
      deadlinePassed: false,
    });
    expect(d.kind === "retry" && d.push.map((x) => x.instanceId)).toEqual(["i-1"]);
  });
  it("counts it converged once it reads back the release", () => {
    const d = planReconcile({
      members: [m(2)],
      releaseId: "r2",
      states: new Map([["i-2", { kind: "on-release", releaseId: "r2" }]]),
      givenUp: gaveUp,
      deadlinePassed: false,
    });
    expect(d).toEqual({ kind: "converged", instanceIds: ["i-2"] });
  });
});

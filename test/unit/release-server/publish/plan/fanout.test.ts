import { describe, expect, it } from "vitest";
import { planFanout, type MemberState } from "../../../../../release-server/publish/plan/fanout.js";
import type { Member } from "../../../../../release-server/publish/members.js";

const m = (n: number, ip = true): Member => ({
  instanceId: `i-${n}`,
  asg: "web",
  lifecycleState: "InService",
  ...(ip ? { privateIp: `127.1.0.${n}` } : {}),
});
const pushed = (plan: ReturnType<typeof planFanout>) => plan.push.map((x) => x.instanceId);

describe("planFanout", () => {
  it("pushes every member with an address when nothing is known yet", () => {
    const plan = planFanout([m(1), m(2), m(3, false)], "r2");
    expect(pushed(plan)).toEqual(["i-1", "i-2"]);
    expect(plan.waiting).toEqual([{ instanceId: "i-3", asg: "web", reason: "no private IP address yet" }]);
  });

  const one: { rule: string; state: MemberState; push: boolean; reason?: string }[] = [
    {
      rule: "a member on the release is converged and not pushed",
      state: { kind: "on-release", releaseId: "r2" },
      push: false,
    },
    {
      rule: "a member on an older release is pushed",
      state: { kind: "on-release", releaseId: "r1" },
      push: true,
      reason: "behind: has r1, not r2",
    },
    {
      rule: "a member with no manifest is pushed",
      state: { kind: "no-manifest" },
      push: true,
      reason: "no release manifest",
    },
    {
      rule: "an unreachable member is pushed again",
      state: { kind: "unreachable", message: "timeout" },
      push: true,
      reason: "unreachable: timeout",
    },
    {
      rule: "a booting member without its volume mounted is waited for, not pushed",
      state: { kind: "not-mounted" },
      push: false,
      reason: "booting: the release volume is not mounted yet",
    },
    {
      rule: "a member whose host key changed is never pushed",
      state: { kind: "host-key-mismatch", message: "key for i-1 changed" },
      push: false,
      reason: "host key mismatch: key for i-1 changed",
    },
    {
      rule: "a member whose release path is not the release volume is never pushed",
      state: { kind: "not-release-volume", message: "/release holds no release marker of project shop" },
      push: false,
      reason: "not the release volume: /release holds no release marker of project shop",
    },
    {
      rule: "a member whose mount stayed read-write after a push is reported, not pushed again",
      state: { kind: "left-writable", releaseId: "r2", message: "left read-write: busy" },
      push: false,
      reason: "left read-write: busy",
    },
  ];
  it.each(one)("$rule", ({ state, push, reason }) => {
    const plan = planFanout([m(1)], "r2", new Map([["i-1", state]]));
    expect(pushed(plan)).toEqual(push ? ["i-1"] : []);
    expect(plan.waiting.map((w) => w.reason)).toEqual(reason ? [reason] : []);
    expect(plan.converged).toEqual(!push && !reason ? ["i-1"] : []);
  });

  it("the reason carries the last push error", () => {
    const plan = planFanout(
      [m(1)],
      "r2",
      new Map([["i-1", { kind: "on-release", releaseId: "r1" } as const]]),
      new Map([["i-1", "rsync exit 12"]]),
    );
    expect(plan.waiting[0]?.reason).toBe("behind: has r1, not r2; last push failed: rsync exit 12");
  });

  it("reports a member that is not the release volume at once, unless it is still booting", () => {
    const state = new Map([["i-1", { kind: "not-release-volume", message: "labelled data" } as const]]);
    expect(planFanout([m(1)], "r2", state).waiting).toEqual([
      { instanceId: "i-1", asg: "web", reason: "not the release volume: labelled data", settled: true },
    ]);
    const booting = { ...m(1), lifecycleState: "Pending:Wait" };
    expect(planFanout([booting], "r2", state).waiting[0]?.settled).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import type { MemberState } from "../../../../../release-server/publish/plan/fanout.js";
import type { Member } from "../../../../../release-server/publish/members.js";
import { planReconcile } from "../../../../../release-server/publish/plan/reconcile.js";

const m = (n: number, lifecycleState = "InService"): Member => ({
  instanceId: `i-${n}`,
  asg: "web",
  lifecycleState,
  privateIp: `127.1.0.${n}`,
});
const on = (releaseId: string): MemberState => ({ kind: "on-release", releaseId });

describe("planReconcile", () => {
  it("is converged when every member reports the release", () => {
    expect(
      planReconcile({
        members: [m(1), m(2)],
        releaseId: "r2",
        states: new Map([
          ["i-1", on("r2")],
          ["i-2", on("r2")],
        ]),
        deadlinePassed: false,
      }),
    ).toEqual({ kind: "converged", instanceIds: ["i-1", "i-2"] });
  });
  it("is converged with no members at all", () => {
    expect(planReconcile({ members: [], releaseId: "r2", states: new Map(), deadlinePassed: false })).toEqual(
      {
        kind: "converged",
        instanceIds: [],
      },
    );
  });
  it("pushes again to an instance launched from the previous snapshot during the publish", () => {
    const d = planReconcile({
      members: [m(1), m(2, "Pending")],
      releaseId: "r2",
      states: new Map([
        ["i-1", on("r2")],
        ["i-2", on("r1")],
      ]),
      deadlinePassed: false,
    });
    expect(d.kind === "retry" && d.push.map((x) => x.instanceId)).toEqual(["i-2"]);
  });
  it("past the deadline, reports stragglers with instance id and reason", () => {
    expect(
      planReconcile({
        members: [m(1), m(2)],
        releaseId: "r2",
        states: new Map([
          ["i-1", on("r2")],
          ["i-2", { kind: "unreachable", message: "Connection refused" }],
        ]),
        deadlinePassed: true,
      }),
    ).toEqual({
      kind: "stragglers",
      stragglers: [{ instanceId: "i-2", asg: "web", reason: "unreachable: Connection refused" }],
      converged: ["i-1"],
    });
  });
  it("a member never read is still named as a straggler", () => {
    const d = planReconcile({ members: [m(3)], releaseId: "r2", states: new Map(), deadlinePassed: true });
    expect(d).toEqual({
      kind: "stragglers",
      stragglers: [{ instanceId: "i-3", asg: "web", reason: "not confirmed on the release" }],
      converged: [],
    });
  });
  it("keeps waiting for a booting member before the deadline", () => {
    const d = planReconcile({
      members: [m(1, "Pending")],
      releaseId: "r2",
      states: new Map([["i-1", { kind: "not-mounted" } as const]]),
      deadlinePassed: false,
    });
    expect(d).toEqual({
      kind: "retry",
      push: [],
      waiting: [{ instanceId: "i-1", asg: "web", reason: "booting: the release volume is not mounted yet" }],
    });
  });
  it("reports a member left read-write at once, not at the deadline", () => {
    const left = { kind: "left-writable", releaseId: "r2", message: "left read-write: busy" } as const;
    const d = planReconcile({
      members: [m(1), m(2)],
      releaseId: "r2",
      states: new Map<string, MemberState>([
        ["i-1", on("r2")],
        ["i-2", left],
      ]),
      deadlinePassed: false,
    });
    expect(d).toEqual({
      kind: "stragglers",
      stragglers: [{ instanceId: "i-2", asg: "web", reason: "left read-write: busy", settled: true }],
      converged: ["i-1"],
    });
  });
  it("still waits for the others while one member is left read-write", () => {
    const d = planReconcile({
      members: [m(1), m(2)],
      releaseId: "r2",
      states: new Map<string, MemberState>([
        ["i-1", { kind: "left-writable", message: "left read-write: busy" }],
        ["i-2", on("r1")],
      ]),
      deadlinePassed: false,
    });
    expect(d.kind).toBe("retry");
  });
});

// rollout.keep_old_slot and `asg-release rollback`: the old slot is kept scaled but detached after
// a switch, left alone until its time has passed, then retired; rollback re-attaches it, waits for
// it and retires the slot that served.
import { describe, expect, it } from "vitest";
import type { ActionOf, Plan } from "../../../../../release-server/deploy/actions.js";
import type { ObservedGroup } from "../../../../../release-server/deploy/observe/observed.js";
import {
  baseEnv,
  env,
  frontGateway,
  group,
  lbs,
  model,
  observed,
  outline,
  plan,
  request,
  tgArn,
} from "../../../../support/deploy-fixtures.js";

const NOW = Date.parse("2026-01-01T12:00:00Z");
const keepEnv = env(`${baseEnv}rollout: {keep_old_slot: 1h}\n`);
const v = (image: string) => model({ front: image }, frontGateway);
const serving = (name: string, image: string, over: Partial<ObservedGroup> = {}) =>
  group(name, {
    imageId: image,
    targetGroupArns: [tgArn],
    createdTime: `2026-01-0${name.endsWith("A") ? 1 : 2}T00:00:00Z`,
    ...over,
  });
const kept = (name: string, image: string, until: string) =>
  serving(name, image, { targetGroupArns: [], tags: { "skopos:kept_until": until } });
const go = (
  m: ReturnType<typeof v> | undefined,
  groups: ObservedGroup[],
  operation: Plan["operation"] = "deploy",
) =>
  plan(
    request(keepEnv, m, { now: NOW, operation }),
    observed({ groups, lbs: lbs(groups.flatMap((g) => g.instances.map((i) => i.instanceId))) }),
  );

describe("keep_old_slot", () => {
  it("an upgrade detaches the old slot and keeps it scaled, tagged with how long", () => {
    const p = go(v("reg/front:2"), [serving("shop.front_A", "reg/front:1")]);
    expect(outline(p)).toEqual([
      "front upgrade: createLaunchTemplate shop.front_B, createGroup shop.front_B, attachLbs shop.front_B, waitJoin shop.front_B, detachLbs shop.front_A, waitDrained shop.front_A, keepGroup shop.front_A",
    ]);
    const keep = p.changes[0]!.actions.find((a) => a.kind === "keepGroup") as ActionOf<"keepGroup">;
    expect(keep.seconds).toBe(3600);
  });

  it("a kept slot whose time has not passed is left alone: nothing to do", () => {
    const p = go(v("reg/front:2"), [
      kept("shop.front_A", "reg/front:1", "2026-01-01T12:30:00Z"),
      serving("shop.front_B", "reg/front:2"),
    ]);
    expect(p.changes).toEqual([]);
  });

  it("a later deploy retires a kept slot whose time has passed", () => {
    const p = go(v("reg/front:2"), [
      kept("shop.front_A", "reg/front:1", "2026-01-01T11:00:00Z"),
      serving("shop.front_B", "reg/front:2"),
    ]);
    expect(outline(p)).toEqual([
      "front resume: deleteGroup shop.front_A, waitGroupGone shop.front_A, sweepVolumes shop.front_A",
    ]);
    expect(p.changes[0]!.actions[0]!.reason).toBe("kept until 2026-01-01T11:00:00Z, which has passed");
  });

  it("the next upgrade frees the kept slot first and keeps the one that served", () => {
    const p = go(v("reg/front:3"), [
      kept("shop.front_A", "reg/front:1", "2026-01-01T12:30:00Z"),
      serving("shop.front_B", "reg/front:2"),
    ]);
    expect(outline(p)[0]).toMatch(
      /^front upgrade: deleteGroup shop\.front_A, .*createGroup shop\.front_A, .*detachLbs shop\.front_B, waitDrained shop\.front_B, keepGroup shop\.front_B$/,
    );
  });

  it("0 (the default) retires the old slot at once, as the plugin does", () => {
    const p = plan(
      request(env(baseEnv), v("reg/front:2"), { now: NOW }),
      observed({ groups: [serving("shop.front_A", "reg/front:1")] }),
    );
    expect(p.changes[0]!.actions.map((a) => a.kind)).not.toContain("keepGroup");
    expect(p.changes[0]!.actions.map((a) => a.kind)).toContain("deleteGroup");
  });
});

describe("rollback", () => {
  const state = () => [
    kept("shop.front_A", "reg/front:1", "2026-01-01T12:30:00Z"),
    serving("shop.front_B", "reg/front:2"),
  ];

  it("re-attaches the kept slot, waits for it, clears its tag, then retires the new one", () => {
    const p = go(undefined, state(), "rollback");
    expect(p.problems).toEqual([]);
    expect(p.changes[0]!.kind).toBe("rollback");
    expect(outline(p)).toEqual([
      "front rollback: attachLbs shop.front_A, waitJoin shop.front_A, unkeepGroup shop.front_A, detachLbs shop.front_B, waitDrained shop.front_B, deleteGroup shop.front_B, waitGroupGone shop.front_B, sweepVolumes shop.front_B",
    ]);
    const wait = p.changes[0]!.actions[1] as ActionOf<"waitJoin">;
    expect([wait.count, wait.lbs.map((l) => l.name)]).toEqual([2, ["tg-web"]]);
  });

  it("a kept slot that does not become healthy is detached again; the new one keeps serving", () => {
    const p = go(undefined, state(), "rollback");
    expect(p.changes[0]!.onFailure.map((a) => `${a.kind} ${"group" in a ? a.group : ""}`)).toEqual([
      "detachLbs shop.front_A",
    ]);
  });

  it("rolls back even after the kept time has passed, while the slot is still there", () => {
    const p = go(
      undefined,
      [kept("shop.front_A", "reg/front:1", "2026-01-01T11:00:00Z"), serving("shop.front_B", "reg/front:2")],
      "rollback",
    );
    expect(p.changes.map((c) => c.kind)).toEqual(["rollback"]);
  });

  it("says so when there is no kept slot", () => {
    expect(go(undefined, [serving("shop.front_B", "reg/front:2")], "rollback").problems).toEqual([
      "no kept slot to roll back to in project shop: set rollout.keep_old_slot to keep the old slot after an upgrade",
    ]);
    expect(go(v("reg/front:2"), [serving("shop.front_B", "reg/front:2")], "rollback").problems).toEqual([
      "front: no kept slot to roll back to",
    ]);
  });

  it("a deploy back to the kept slot's image re-attaches it and clears its tag", () => {
    const p = go(v("reg/front:1"), state());
    expect(p.changes[0]!.actions.map((a) => `${a.kind} ${"group" in a ? a.group : ""}`)).toContain(
      "unkeepGroup shop.front_A",
    );
  });
});

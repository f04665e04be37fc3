// The rollout settings on an upgrade: batches, the healthy share each batch waits for, the bake
// after each batch, and the rollback that any failed wait or bake runs.
import { describe, expect, it } from "vitest";
import type { ActionOf, Plan } from "../../../../../release-server/deploy/actions.js";
import { batchSize, rolloutSteps } from "../../../../../release-server/deploy/plan/batches.js";
import {
  baseEnv,
  env,
  frontGateway,
  group,
  model,
  observed,
  plan,
  request,
  tgArn,
} from "../../../../support/deploy-fixtures.js";

const defaults = { batch_size: "all", min_healthy_percent: 100, bake_time: 0, keep_old_slot: 0 } as const;

function upgrade(rollout: string, replicas = 4): Plan {
  const running = observed({
    groups: [group("shop.front_A", { imageId: "reg/front:1", targetGroupArns: [tgArn] })],
  });
  return plan(
    request(
      env(`${baseEnv}rollout: ${rollout}\n`),
      model({ front: { image: "reg/front:2", replicas } }, frontGateway),
    ),
    running,
  );
}

/** The new slot's actions after it is attached, up to the switch. */
const rolloutPart = (p: Plan) => {
  const actions = p.changes[0]!.actions;
  const from = actions.findIndex((a) => a.kind === "createGroup");
  const to = actions.findIndex((a) => a.kind === "detachLbs");
  return actions.slice(from, to).map((a) => {
    switch (a.kind) {
      case "createGroup":
        return `create ${a.desiredCapacity}`;
      case "setCapacity":
        return `grow ${a.desiredCapacity}`;
      case "waitJoin":
        return `wait ${a.healthy ?? a.count}/${a.count}`;
      case "bake":
        return `bake ${a.seconds}s ${a.healthy}/${a.count}`;
      default:
        return a.kind;
    }
  });
};

describe("rollout steps", () => {
  it.each([
    ["all in one batch by default", 4, defaults, [[4, 4]]],
    [
      "batch_size: a count",
      5,
      { ...defaults, batch_size: 2 },
      [
        [2, 2],
        [4, 4],
        [5, 5],
      ],
    ],
    [
      "batch_size: a percentage of the replicas, rounded up",
      5,
      { ...defaults, batch_size: "25%" },
      [
        [2, 2],
        [4, 4],
        [5, 5],
      ],
    ],
    ["a batch larger than the replicas is one batch", 2, { ...defaults, batch_size: 10 }, [[2, 2]]],
    [
      "min_healthy_percent: the share of each batch that must be healthy, rounded up",
      4,
      { ...defaults, batch_size: 2, min_healthy_percent: 50 },
      [
        [2, 1],
        [4, 2],
      ],
    ],
    ["no replicas: one empty step", 0, { ...defaults, batch_size: 2 }, [[0, 0]]],
  ] as const)("%s", (_, replicas, rollout, expected) => {
    expect(rolloutSteps(replicas, rollout).map((s) => [s.count, s.healthy])).toEqual(expected);
  });

  it("a percentage batch is at least one instance", () => {
    expect(batchSize(3, "1%")).toBe(1);
  });
});

describe("rollout on an upgrade", () => {
  it("batch_size: the new slot grows batch by batch, each batch waited for", () => {
    expect(rolloutPart(upgrade("{batch_size: 2}"))).toEqual([
      "create 2",
      "attachLbs",
      "wait 2/2",
      "grow 4",
      "wait 4/4",
    ]);
  });

  it("min_healthy_percent: each wait asks for that share of the batch", () => {
    expect(rolloutPart(upgrade("{batch_size: 50%, min_healthy_percent: 75}"))).toEqual([
      "create 2",
      "attachLbs",
      "wait 2/2",
      "grow 4",
      "wait 3/4",
    ]);
  });

  it("bake_time: a bake after every batch, the last one before the old slot is detached", () => {
    const p = upgrade("{batch_size: 2, bake_time: 2m}");
    expect(rolloutPart(p)).toEqual([
      "create 2",
      "attachLbs",
      "wait 2/2",
      "bake 120s 2/2",
      "grow 4",
      "wait 4/4",
      "bake 120s 4/4",
    ]);
    const bakes = p.changes[0]!.actions.filter((a): a is ActionOf<"bake"> => a.kind === "bake");
    expect(bakes.map((b) => b.lbs.map((l) => l.name))).toEqual([["tg-web"], ["tg-web"]]);
  });

  it("the old slot stays attached until the last bake: a failure rolls back by tearing the new slot down", () => {
    const p = upgrade("{batch_size: 2, bake_time: 60}");
    const kinds = p.changes[0]!.actions.map((a) => `${a.kind} ${"group" in a ? a.group : ""}`);
    expect(kinds.indexOf("detachLbs shop.front_A")).toBeGreaterThan(kinds.lastIndexOf("bake shop.front_B"));
    expect(
      p.changes[0]!.onFailure.map((a) => `${a.kind} ${"group" in a ? a.group : "name" in a ? a.name : ""}`),
    ).toEqual([
      "detachLbs shop.front_B",
      "deleteGroup shop.front_B",
      "waitGroupGone shop.front_B",
      "sweepVolumes shop.front_B",
      "deleteLaunchTemplate shop.front_B",
    ]);
  });

  it("settings are applied, so the plan no longer warns about them", () => {
    expect(upgrade("{batch_size: 1, min_healthy_percent: 50, bake_time: 5}").warnings).toEqual([]);
  });
});

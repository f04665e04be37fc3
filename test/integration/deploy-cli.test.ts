// The deploy commands as operators run them: bad input exits 2 before anything changes, `plan
// --json` only reads, and one deploy per project holds the lock (status, waiting, breaking it).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock, readLock } from "../../release-server/deploy/lock.js";
import { envYaml, modelYaml, run, useDeployWorld } from "../support/deploy.js";
import { asgRelease } from "../support/sim.js";

const world = useDeployWorld((w) => ({
  "env.yaml": envYaml(w),
  "bad-env.yaml": envYaml(w).replace("type: t3.micro", "type: 3"),
  "no-subnet.yaml": `${envYaml(w)}subnets: [private-x]\n`,
  "v1.yaml": modelYaml({ front: { image: "reg/front:1", replicas: 1 } }),
}));

const cli = (args: string[]) => asgRelease(world.sim, args);

const file = (name: string) => join(world.dir, name);
const target = (env = "env.yaml") => ["--env", file(env), "--project", "shop"];
/** Operations called since the last reset that are not reads. */
const mutating = () =>
  Object.keys(world.sim.callCounts()).filter(
    (op) => !/:(Describe|Get|List)/.test(op) && !op.includes("CompleteLifecycleAction"),
  );

describe("bad input", () => {
  it("exits 2 with FILE:LINE:COL lines and calls nothing in AWS", async () => {
    world.sim.resetCallCounts();
    const r = await cli(["deploy", ...target("bad-env.yaml"), "--model", file("v1.yaml"), "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${file("bad-env.yaml")}:6:9: launch_config.type: expected a string, got a number\n`,
    );
    // Only the stand-in agent's describes: the command itself called nothing.
    expect(Object.keys(world.sim.callCounts()).filter((op) => !op.startsWith("autoscaling:"))).toEqual([]);
    expect(mutating()).toEqual([]);
  });

  it("exits 2 for a subnet that is not in the VPC, after reads only", async () => {
    world.sim.resetCallCounts();
    const r = await cli(["deploy", ...target("no-subnet.yaml"), "--model", file("v1.yaml"), "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^problem: front: subnet "private-x" names no subnet of vpc-[0-9a-f]+$/m);
    expect(mutating()).toEqual([]);
  });
});

it("plan --json prints the plan as data and changes nothing", async () => {
  world.sim.resetCallCounts();
  const r = await cli(["plan", ...target(), "--model", file("v1.yaml"), "--json"]);
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout) as {
    changes: { component: string; kind: string; actions: { kind: string; reason: string }[] }[];
  };
  expect(plan.changes.map((c) => [c.component, c.kind, c.actions.map((a) => a.kind)])).toEqual([
    ["front", "deploy", ["createLaunchTemplate", "createGroup", "attachLbs", "waitJoin"]],
  ]);
  expect(plan.changes[0]!.actions.every((a) => a.reason.length > 0)).toBe(true);
  expect(mutating()).toEqual([]);
});

describe("the deploy lock", () => {
  const other = {
    host: "release-2.example",
    pid: 4242,
    command: "asg-release deploy --model m.yaml",
    since: "2024-05-01T10:00:00.000Z",
  };

  it("refuses a second deploy, naming the holder and the command that breaks the lock", async () => {
    await acquireLock(world.aws, "shop", other, { waitSeconds: 0, breakCommand: "" });
    const r = await run(world, { model: "v1.yaml", lockWaitSeconds: 1 });
    expect(r.error?.code).toBe("LockHeld");
    expect(r.error?.message).toBe(
      `deploy lock of shop is held by release-2.example pid 4242 since 2024-05-01T10:00:00.000Z (asg-release deploy --model m.yaml); ` +
        `wait for it (--lock-wait SECONDS), or if that deploy is gone, break the lock: asg-release lock release --env ${file("env.yaml")} --project shop --force`,
    );
    expect(r.err).toMatch(/waiting for the deploy lock of shop/);
  });

  it("shows the holder and breaks the lock only with --force", async () => {
    expect((await cli(["lock", "status", ...target()])).stdout).toBe(
      "locked: release-2.example pid 4242 since 2024-05-01T10:00:00.000Z (asg-release deploy --model m.yaml)\n",
    );
    expect((await cli(["lock", "release", ...target()])).code).toBe(2);
    const released = await cli(["lock", "release", ...target(), "--force"]);
    expect(released.stdout).toMatch(/^released asg-release-lock\.shop, held by release-2\.example pid 4242/);
    expect(await readLock(world.aws, "shop")).toBeUndefined();
  });

  it("lets exactly one of two concurrent deploys run", async () => {
    const [a, b] = await Promise.all([run(world, { model: "v1.yaml" }), run(world, { model: "v1.yaml" })]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect((a.ok ? b : a).error?.code).toBe("LockHeld");
    expect(await readLock(world.aws, "shop")).toBeUndefined();
  });

  it("takes over a lock left by a dead deploy on this host", async () => {
    const { hostname } = await import("node:os");
    await acquireLock(
      world.aws,
      "shop",
      { ...other, host: hostname(), pid: 2 ** 22 + 7 },
      { waitSeconds: 0, breakCommand: "" },
    );
    const r = await run(world, { operation: "destroy" });
    expect(r.error?.message).toBeUndefined();
    // The operator is told whose lock it was and why it could be taken.
    expect(r.err).toMatch(
      new RegExp(
        `^(took over|removed) the deploy lock of shop left by ${hostname()} pid ${2 ** 22 + 7} since \\S+ \\(.*\\): that process is gone$`,
        "m",
      ),
    );
    expect(await readLock(world.aws, "shop")).toBeUndefined();
  });

  it("gives up on a lock that exists but stays out of describes, pausing between tries", async () => {
    world.sim.setFault("ec2:CreateLaunchTemplate", { hideNewForDescribes: 1000 });
    try {
      await acquireLock(world.aws, "shop", other, { waitSeconds: 0, breakCommand: "" });
      world.sim.resetCallCounts();
      const r = await run(world, { model: "v1.yaml" });
      expect(r.error?.message).toMatch(
        /^deploy lock of shop exists but DescribeLaunchTemplates does not show it; try again, or break the lock: asg-release lock release /,
      );
      // About two describes a second for the 10 s grace, not a busy loop.
      const describes = world.sim.callCounts()["ec2:DescribeLaunchTemplates"] ?? 0;
      expect(describes).toBeGreaterThan(5);
      expect(describes).toBeLessThan(60);
    } finally {
      world.sim.setFault("ec2:CreateLaunchTemplate", undefined);
      await cli(["lock", "release", ...target(), "--force"]);
    }
    expect(await readLock(world.aws, "shop")).toBeUndefined();
  });
});

describe("rollback", () => {
  it("with no kept slot, exits 2 before any change and says how to keep one", async () => {
    world.sim.resetCallCounts();
    const r = await cli(["rollback", ...target(), "--yes"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /problem: no kept slot to roll back to in project shop: set rollout.keep_old_slot to keep the old slot after an upgrade/,
    );
    expect(mutating()).toEqual([]);
  });
});

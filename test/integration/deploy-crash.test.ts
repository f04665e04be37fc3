// kill -9 of `asg-release deploy` (the real CLI, a child process) at each action of an upgrade of a
// two-component project (front behind the ALB target group, back behind the classic load
// balancer), then the documented operator path: `lock status` names the dead holder, and the next
// deploy on the same host takes the stale lock over and finishes the job (or, with nothing left to
// do, deletes it). After that the project is exactly the new slot: its groups and launch templates
// only, every member InService and healthy in its load balancer, no other instance running, no
// group being deleted, the lock released.
//
// Kill points: all 20 actions (10 per component). Rather than one upgrade per kill point (about
// 10 s each), an upgrade is a chain of deploys, each killed at the next point it reaches; a point
// the re-run's plan no longer has (a wait for something that finished meanwhile) would be skipped,
// so the upgrade to v2 is killed at the even actions and the one back to v1 at the odd ones.
import { spawn, spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { join } from "node:path";
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeLaunchTemplatesCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it, onTestFailed } from "vitest";
import { acquireLock, readLock } from "../../release-server/deploy/lock.js";
import { asgRelease } from "../support/sim.js";
import { converged, envYaml, modelYaml, run, useDeployWorld } from "../support/deploy.js";

const models = {
  "v1.yaml": { front: "reg/front:1", back: "reg/back:1" },
  "v2.yaml": { front: "reg/front:2", back: "reg/back:2" },
};

const world = useDeployWorld((w) => ({
  "env.yaml": envYaml(w),
  ...Object.fromEntries(
    Object.entries(models).map(([f, m]) => [
      f,
      modelYaml({ front: { image: m.front, replicas: 2 }, back: { image: m.back, replicas: 1 } }),
    ]),
  ),
}));

const ASG_RELEASE = join(import.meta.dirname, "..", "..", "bin", "asg-release.js");
const file = (name: string) => join(world.dir, name);
const target = () => ["--env", file("env.yaml"), "--project", "shop"];

/** How a deploy run ended: killed at a progress line, or exited by itself. */
interface Ended {
  pid: number;
  /** The index in `points` of the action line it was killed at. */
  killedAt?: number;
  code: number | null;
  output: string;
}

/**
 * Runs `deploy --yes` and SIGKILLs it as it prints the first action line matching one of `points`
 * from index `from` on (non-TTY progress: one `[k/N] action` line per action, printed as the action
 * starts, so the kill lands before, during or just after its first call).
 */
function deployKilled(model: string, points: Point[], from: number): Promise<Ended> {
  const child = spawn(
    process.execPath,
    [ASG_RELEASE, "deploy", ...target(), "--model", file(model), "--yes"],
    {
      env: {
        ...process.env,
        ...world.sim.env(),
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  let killedAt: number | undefined;
  let pending = "";
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => (output += d));
    child.stdout.on("data", (d: string) => {
      output += d;
      pending += d;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const l of lines) {
        const action = /^\s+\[\d+\/\d+\] (.*)$/.exec(l)?.[1];
        if (action === undefined || killedAt !== undefined) continue;
        const i = points.findIndex((p, n) => n >= from && p.line.test(action));
        if (i < 0) continue;
        killedAt = i;
        child.kill("SIGKILL");
      }
    });
    child.on("error", reject);
    // A run that ended by itself before the kill landed was not killed at that point.
    child.on("exit", (code, signal) =>
      resolve({ pid: child.pid!, code, output, ...(signal === "SIGKILL" ? { killedAt } : {}) }),
    );
  });
}

/** The actions of the upgrade of one component, in order. */
const KINDS = [
  "createLaunchTemplate",
  "createGroup",
  "attachLbs",
  "waitJoin",
  "detachLbs",
  "waitDrained",
  "deleteGroup",
  "waitGroupGone",
  "sweepVolumes",
  "deleteLaunchTemplate",
];

/** The progress line of each action of an upgrade of `component` from slot `from` to slot `to`. */
const upgradePoints = (component: string, from: string, to: string): Point[] => {
  const [n, o] = [`shop\\.${component}_${to}`, `shop\\.${component}_${from}`];
  const lines = [
    `^create launch template ${n} `,
    `^create group ${n} `,
    `^attach ${n} to `,
    `^wait for .* of ${n}:`,
    `^detach ${o} from `,
    `^wait up to \\d+ s for ${o}'s members to drain`,
    `^delete group ${o} `,
    `^wait up to \\d+ s for ${o} to be gone`,
    `^delete the release volumes ${o}'s`,
    `^delete launch template ${o}$`,
  ];
  return lines.map((l, i) => ({ name: `${component}: ${KINDS[i]}`, line: new RegExp(l) }));
};

interface Point {
  /** "component: action kind" */
  name: string;
  line: RegExp;
}

interface PlanJson {
  changes: { component: string; kind: string; actions: { kind: string }[] }[];
}

async function planOf(model: string): Promise<string[]> {
  const r = await asgRelease(world.sim, ["plan", ...target(), "--model", file(model), "--json"]);
  expect(r.code, r.stderr).toBe(0);
  const plan = JSON.parse(r.stdout) as PlanJson;
  return plan.changes.flatMap((c) => c.actions.map((a) => `${c.component}: ${a.kind}`));
}

/**
 * Upgrades to `model` (slot `from` -> `to`) by a chain of deploys, each killed -9 at the next kill
 * point it reaches, each after the first taking over the lock its killed predecessor left; then one
 * deploy runs to the end. Returns the points killed at.
 */
async function upgradeThroughKills(
  model: string,
  from: string,
  to: string,
  pick: (index: number) => boolean,
): Promise<string[]> {
  const points = [...upgradePoints("front", from, to), ...upgradePoints("back", from, to)].filter((_, i) =>
    pick(i),
  );
  const killed: string[] = [];
  let next = 0;
  for (;;) {
    const r = await deployKilled(model, points, next);
    onTestFailed(() => {
      process.stderr.write(`deploy pid ${r.pid}:\n${r.output}\n`);
    });
    if (r.killedAt === undefined) {
      expect(r.code, r.output).toBe(0);
      break;
    }
    expect(r.code, r.output).toBeNull();
    killed.push(points[r.killedAt]!.name);
    next = r.killedAt + 1;
    // The dead deploy's lock stays in AWS, naming it; the next deploy on this host takes it over.
    const holder = await readLock(world.aws, "shop");
    expect(holder).toMatchObject({ host: hostname(), pid: r.pid });
    if (killed.length === 1) {
      const status = await asgRelease(world.sim, ["lock", "status", ...target()]);
      expect(status.stdout).toMatch(new RegExp(`^locked: ${hostname()} pid ${r.pid} since `));
    }
    await noDuplicates();
    if (next >= points.length) {
      const rest = await deployKilled(model, [], 0);
      expect(rest.code, rest.output).toBe(0);
      break;
    }
  }
  expect(await readLock(world.aws, "shop")).toBeUndefined();
  return killed;
}

/** Between kills: never more than the two slots of a component, nor launch templates of others. */
async function noDuplicates(): Promise<void> {
  const gs =
    (await world.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
  const slots = /^shop\.(front|back)_[AB]$/;
  expect(gs.map((g) => g.AutoScalingGroupName).filter((n) => !slots.test(n ?? ""))).toEqual([]);
  const lts = (await world.aws.ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? [];
  expect(
    lts.map((t) => t.LaunchTemplateName).filter((n) => !slots.test(n ?? "") && n !== "asg-release-lock.shop"),
  ).toEqual([]);
}

describe("kill -9 of a deploy at each action of an upgrade", () => {
  it("deploys v1 into slot A", async () => {
    const r = await run(world, { model: "v1.yaml" });
    expect(r.error?.message).toBeUndefined();
    await converged(world, { slot: "A", replicas: { front: 2, back: 1 } });
  });

  const killed: string[] = [];

  it("kills the upgrade to v2 at every other action; the next deploy takes the lock over and finishes", async () => {
    // The kill points are every action of the plan.
    expect(await planOf("v2.yaml")).toEqual([
      ...KINDS.map((k) => `front: ${k}`),
      ...KINDS.map((k) => `back: ${k}`),
    ]);
    killed.push(...(await upgradeThroughKills("v2.yaml", "A", "B", (i) => i % 2 === 0)));
    await converged(world, { slot: "B", replicas: { front: 2, back: 1 } });
  });

  it("kills the upgrade back to v1 at the other actions, and converges the same way", async () => {
    killed.push(...(await upgradeThroughKills("v1.yaml", "B", "A", (i) => i % 2 === 1)));
    await converged(world, { slot: "A", replicas: { front: 2, back: 1 } });
    // Every kind of action was killed at, in one component or the other.
    expect(new Set(killed.map((k) => k.replace(/^\w+: /, "")))).toEqual(new Set(KINDS));
  });
});

it("a deploy with nothing to do deletes a lock left by a dead deploy of this host", async () => {
  const dead = spawnSync("true").pid;
  const holder = {
    host: hostname(),
    pid: dead,
    command: "asg-release deploy (killed)",
    since: "2026-01-01T00:00:00.000Z",
  };
  await acquireLock(world.aws, "shop", holder, { waitSeconds: 0, breakCommand: "" });
  const r = await run(world, { model: "v1.yaml" });
  expect(r.error?.message).toBeUndefined();
  expect(r.out).toMatch(/nothing to do/);
  expect(r.err).toBe(
    `removed the deploy lock of shop left by ${hostname()} pid ${dead} since 2026-01-01T00:00:00.000Z (asg-release deploy (killed)): that process is gone\n`,
  );
  expect(await readLock(world.aws, "shop")).toBeUndefined();
});

import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { StepError } from "#shared/errors.js";
import type { Change, Plan } from "../../../../../release-server/deploy/actions.js";
import { runPlan } from "../../../../../release-server/deploy/execute/run-plan.js";
import { plainProgress } from "../../../../../release-server/deploy/progress.js";
import { captureLog } from "../../../../support/log-lines.js";

const sink = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

const change: Change = {
  component: "web",
  kind: "scale",
  reason: "desired 3",
  actions: [
    {
      kind: "setCapacity",
      component: "web",
      group: "shop.web_A",
      minSize: 3,
      maxSize: 3,
      desiredCapacity: 3,
      reason: "desired 3",
    },
  ],
  onFailure: [],
};

const plan = (changes: Change[]): Plan => ({
  project: "shop",
  region: "us-east-1",
  mode: "full",
  operation: "deploy",
  changes,
  warnings: [],
  problems: [],
});

const deps = (send: () => Promise<unknown>) => ({
  aws: { autoscaling: { send } } as unknown as AwsClients,
  handoff: {} as never,
  handoffTag: "asg-release:handoff",
  keptTag: "asg-release:kept_until",
  pollMs: 1,
});

describe("runPlan's logs", () => {
  it("logs each action's start and end with the project, component and group", async () => {
    const { lines, log } = captureLog();
    await runPlan(plan([change]), { ...deps(async () => ({})), log }, plainProgress(sink()));
    expect(lines.map((l) => l.msg)).toEqual(["deploy setCapacity: start", "deploy setCapacity: done"]);
    expect(lines[1]).toMatchObject({ project: "shop", component: "web", asg: "shop.web_A" });
    expect(lines[1]!.durationMs).toEqual(expect.any(Number));
  });

  it("logs a failed action with its error, and the deploy fails with a StepError", async () => {
    const { lines, log } = captureLog();
    const boom = Object.assign(new Error("throttled"), { name: "Throttling" });
    const failing = runPlan(
      plan([change]),
      { ...deps(() => Promise.reject(boom)), log },
      plainProgress(sink()),
    );
    await expect(failing).rejects.toBeInstanceOf(StepError);
    expect(lines.map((l) => l.msg)).toEqual(["deploy setCapacity: start", "deploy setCapacity: failed"]);
    expect(lines[1]).toMatchObject({ level: 50, component: "web", err: expect.anything() });
  });
});

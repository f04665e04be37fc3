// The deploy role's generated policy is enough and nothing in it is spare: the deploy runs with
// credentials the local region holds to exactly that policy document (resources and conditions
// evaluated) while a two-component project (ALB target group, classic ELB) is deployed, scaled, has
// its launch hook turned off and on, upgraded and destroyed (sweeping a release volume a member left
// behind); every action it calls by name was called; and taking any of several actions away makes
// the step that needs it fail with the service's refusal.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { validateInputs } from "#shared/config/validate-inputs.js";
import { deployFeatures } from "../../release-server/iam/deploy-features.js";
import { deployGrants } from "../../release-server/iam/deploy-permissions.js";
import {
  buildPolicy,
  calledActions,
  policyActions,
  type PolicyDocument,
} from "../../release-server/iam/policy.js";
import { createAwsClients } from "#shared/aws/clients.js";
import {
  envYaml,
  groups,
  leftVolume,
  modelYaml,
  run,
  useDeployWorld,
  type RunResult,
} from "../support/deploy.js";

let policy: PolicyDocument;
let allowed: string[];
let called: string[];

// Called by others, with the region's administrator credentials: the stand-in agent completing the
// launch hook, and the release volume a test leaves behind as an agent killed between CreateVolume
// and DeleteOnTermination would.
const OTHERS_ACTIONS = ["autoscaling:CompleteLifecycleAction", "ec2:CreateVolume"];

const world = useDeployWorld((w) => {
  const env = envYaml(w);
  return {
    "env.yaml": env,
    "env-hook-off.yaml": env.replace(/^lifecycle_hook:.*$/m, "lifecycle_hook: {enabled: false}"),
    "v1.yaml": modelYaml({
      front: { image: "reg/front:1", replicas: 2 },
      back: { image: "reg/back:1", replicas: 1 },
    }),
    "v1-scaled.yaml": modelYaml({
      front: { image: "reg/front:1", replicas: 3 },
      back: { image: "reg/back:1", replicas: 1 },
    }),
    "v2.yaml": modelYaml({
      front: { image: "reg/front:2", replicas: 3 },
      back: { image: "reg/back:2", replicas: 1 },
    }),
  };
});

beforeAll(async () => {
  const inputs = await validateInputs({
    envFiles: [join(world.dir, "env.yaml")],
    modelFile: join(world.dir, "v1.yaml"),
    project: "shop",
  });
  const grants = deployGrants(
    deployFeatures({
      config: inputs.environment!.ec2Asg,
      limitedPermissions: inputs.environment!.limitedPermissions,
      model: inputs.model!.model,
      project: "shop",
    }),
  );
  policy = buildPolicy(grants);
  allowed = policyActions(policy);
  called = calledActions(grants);
  world.sim.resetCallCounts();
});

/** A policy document without one action (statements left with none dropped). */
const withoutAction = (doc: PolicyDocument, action: string): PolicyDocument => ({
  ...doc,
  Statement: doc.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== action) })).filter(
    (s) => s.Action.length > 0,
  ),
});

/** Deploy and destroy run with credentials held to exactly `doc`. */
const withPolicy = (doc: PolicyDocument) => {
  const credentials = world.sim.bindPolicies([doc]);
  return {
    clients: () =>
      createAwsClients({
        region: world.sim.region,
        endpoint: world.sim.endpoint,
        credentials,
        maxAttempts: 3,
      }),
  };
};

/** The action the region refused, from the error the command ended with. */
const refused = (r: RunResult): string | undefined => {
  const m = /not authorized to perform: (\S+)/.exec(r.error?.message ?? "");
  return m?.[1];
};

type Step = (deps: ReturnType<typeof withPolicy>) => Promise<RunResult>;

/** Runs with one action taken away from the policy. */
async function without(action: string, step: Step): Promise<RunResult> {
  expect(allowed).toContain(action);
  return step(withPolicy(withoutAction(policy, action)));
}

const deploy =
  (model: string): Step =>
  (deps) =>
    run(world, { model }, deps);
const enforced = (step: Step) => step(withPolicy(policy));

describe("deploy role policy in a region that enforces it", () => {
  it("a deploy without CreateAutoScalingGroup is refused it; with the whole policy it succeeds", async () => {
    const denied = await without("autoscaling:CreateAutoScalingGroup", deploy("v1.yaml"));
    expect(denied.ok).toBe(false);
    expect(refused(denied)).toBe("autoscaling:CreateAutoScalingGroup");
    const r = await enforced(deploy("v1.yaml"));
    expect(r.error?.message).toBeUndefined();
    expect((await groups(world.aws)).map((g) => g.AutoScalingGroupName).sort()).toEqual([
      "shop.back_A",
      "shop.front_A",
    ]);
  });

  it("reading the state needs DescribeTargetHealth and DescribeLaunchTemplates", async () => {
    for (const action of [
      "elasticloadbalancing:DescribeTargetHealth",
      "ec2:DescribeLaunchTemplates",
      "elasticloadbalancing:DescribeInstanceHealth",
    ]) {
      const r = await without(action, deploy("v1-scaled.yaml"));
      expect(r.ok, action).toBe(false);
      expect(refused(r)).toBe(action);
    }
  });

  it("a scale needs UpdateAutoScalingGroup, and succeeds with the policy", async () => {
    const denied = await without("autoscaling:UpdateAutoScalingGroup", deploy("v1-scaled.yaml"));
    expect(refused(denied)).toBe("autoscaling:UpdateAutoScalingGroup");
    const r = await enforced(deploy("v1-scaled.yaml"));
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/front: scale: replicas 2 -> 3/);
  });

  it("turning the launch hook off needs DeleteLifecycleHook; back on needs PutLifecycleHook", async () => {
    const off: Step = (deps) => run(world, { model: "v1-scaled.yaml", env: "env-hook-off.yaml" }, deps);
    const denied = await without("autoscaling:DeleteLifecycleHook", off);
    expect(refused(denied)).toBe("autoscaling:DeleteLifecycleHook");
    const r = await enforced(off);
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/front: configure: launch hook off/);
    const on = await without("autoscaling:PutLifecycleHook", deploy("v1-scaled.yaml"));
    expect(refused(on)).toBe("autoscaling:PutLifecycleHook");
    const back = await enforced(deploy("v1-scaled.yaml"));
    expect(back.error?.message).toBeUndefined();
    expect(back.out).toMatch(/front: configure: launch hook asg-release-launch/);
  });

  it("an upgrade of both components succeeds with the policy", async () => {
    const r = await enforced(deploy("v2.yaml"));
    expect(r.error?.message).toBeUndefined();
    expect((await groups(world.aws)).map((g) => g.AutoScalingGroupName).sort()).toEqual([
      "shop.back_B",
      "shop.front_B",
    ]);
  });

  it("a destroy needs DeleteAutoScalingGroup, and succeeds with the policy", async () => {
    const destroy: Step = (deps) => run(world, { operation: "destroy" }, deps);
    const denied = await without("autoscaling:DeleteAutoScalingGroup", destroy);
    expect(refused(denied)).toBe("autoscaling:DeleteAutoScalingGroup");
    const member = (await groups(world.aws)).flatMap((g) => g.Instances ?? [])[0]!.InstanceId!;
    const left = await leftVolume(world, member);
    const r = await enforced(destroy);
    expect(r.error?.message).toBeUndefined();
    expect(await groups(world.aws)).toEqual([]);
    // The sweep after the group is gone deleted it, with ec2:DeleteVolume of the policy.
    expect(r.progress).toContain(`deleted ${left}, left by ${member}`);
  });

  it("called every action of the policy that is called by name: none is spare", () => {
    const counts = world.sim.callCounts();
    const used = new Set(
      Object.entries(counts)
        .filter(([, n]) => n > 0)
        // The sim counts "elbv2:DescribeTargetHealth"; IAM names both load balancer APIs alike.
        .map(([op]) => op.replace(/^elb(v2)?:/, "elasticloadbalancing:")),
    );
    expect(called.filter((a) => !used.has(a))).toEqual([]);
    expect([...used].filter((a) => !allowed.includes(a) && !OTHERS_ACTIONS.includes(a))).toEqual([]);
  });
});

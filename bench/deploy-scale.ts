// `npm run bench -- deploy-scale [--components 100] [--instances 2000] [--runs 3]`: reading the
// state of a large project and planning its deploy. The project's groups (one launch template and
// one group per component, light instances) are created through the local region's APIs; then the
// deploy path's state load (observe) and planner run against them, timed and with the API calls
// counted per service. The baseline, in the same run, is a naive per-resource describe loop over
// the same fleet. The last line is one JSON object with the figures.
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  paginateDescribeAutoScalingGroups,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import {
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand as CreateClassicCommand,
  DescribeInstanceHealthCommand,
  DescribeLoadBalancersCommand as DescribeClassicCommand,
} from "@aws-sdk/client-elastic-load-balancing";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { parseArgs } from "node:util";
import { observe } from "../release-server/deploy/observe/observe.js";
import type { Observed } from "../release-server/deploy/observe/observed.js";
import { planDeploy } from "../release-server/deploy/plan/plan.js";
import { desiredHook, hookRecord } from "../release-server/deploy/plan/hook.js";
import { createAwsClients, type AwsClients } from "#shared/aws/clients.js";
import { loadEnvironment, type Environment } from "#shared/config/environment.js";
import { parseSource } from "#shared/config/load.js";
import { loadModel, type Model } from "#shared/config/model.js";
import { renderName } from "#shared/naming/render.js";
import { defaultNamingTemplate, parseNamingTemplate } from "#shared/naming/template.js";
import { startSim, type SimHandle } from "../sim/index.js";
import { DEBIAN_12_AMI } from "../sim/services/ec2/seed.js";
import { intOption } from "./_options.js";

const PROJECT = "shop";
const POLL_MS = 250;

interface Options {
  components: number;
  instances: number;
  runs: number;
}

type Calls = Record<string, number>;

interface Measured {
  ms: number;
  calls: Calls;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      components: { type: "string", default: "100" },
      instances: { type: "string", default: "2000" },
      runs: { type: "string", default: "3" },
    },
  });
  const components = intOption("components", values.components, 2, 500);
  const instances = intOption("instances", values.instances, components, 5000);
  if (instances % components !== 0) throw new Error("--instances: expected a multiple of --components");
  return { components, instances, runs: intOption("runs", values.runs, 1, 20) };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
const total = (c: Calls): number => Object.values(c).reduce((a, b) => a + b, 0);
const name = (k: number): string => `c${String(k).padStart(3, "0")}`;

/** Calls per service ("ec2": 12), from the sim's per-operation counts. */
function byService(counts: Calls): Calls {
  const out: Calls = {};
  for (const [op, n] of Object.entries(counts)) {
    const service = op.split(":")[0] ?? op;
    out[service] = (out[service] ?? 0) + n;
  }
  return out;
}

async function measure(sim: SimHandle, fn: () => Promise<unknown>): Promise<Measured> {
  sim.resetCallCounts();
  const start = performance.now();
  await fn();
  return { ms: round(performance.now() - start), calls: byService(sim.callCounts()) };
}

function environment(vpcId: string): Environment {
  const text = `vpc: ${vpcId}
image_check_type: none
launch_config: {ami: ${DEBIAN_12_AMI}, type: t3.micro, user_data: "#!/bin/sh\\necho {{image_id}}\\n"}
image_id_subst: "{{image_id}}"
lb:
  web: {target_group: bench-tg, port: 8080}
  api: bench-elb
`;
  const { environment: env, issues } = loadEnvironment([parseSource("env.yaml", text).source!]);
  if (!env) throw new Error(issues.map((i) => i.message).join("; "));
  return env;
}

/** The deployed model, with every tenth component's image moved on so the plan has upgrades to make. */
function model(opts: Options): Model {
  const replicas = opts.instances / opts.components;
  const lines = ["doctype: com.datagridsys.doctype/skopos/model", "version: 1", "components:"];
  for (let k = 0; k < opts.components; k++)
    lines.push(`  ${name(k)}: {image: "reg/${name(k)}:${k % 10 === 0 ? 2 : 1}", replicas: ${replicas}}`);
  lines.push(
    "gateways:",
    `  web: {type: load_balancer, target: [${name(0)}]}`,
    `  api: {type: load_balancer, target: [${name(1)}]}`,
  );
  const loaded = loadModel(parseSource("model.yaml", lines.join("\n")).source!);
  if (!loaded.model) throw new Error(loaded.issues.map((i) => i.message).join("; "));
  return loaded.model.model;
}

interface Fleet {
  vpcId: string;
  groups: string[];
  templateIds: string[];
  tgArn: string;
}

/** Load balancers, then per component a launch template and a group in slot A, as a deploy leaves them. */
async function createFleet(sim: SimHandle, aws: AwsClients, opts: Options): Promise<Fleet> {
  const subnets =
    (
      await aws.ec2.send(
        new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
      )
    ).Subnets ?? [];
  const vpcId = subnets[0]?.VpcId ?? "";
  const subnetIds = subnets.map((s) => s.SubnetId ?? "");
  await aws.elb.send(
    new CreateClassicCommand({
      LoadBalancerName: "bench-elb",
      Listeners: [{ Protocol: "HTTP", LoadBalancerPort: 80, InstanceProtocol: "HTTP", InstancePort: 8080 }],
      Subnets: subnetIds,
    }),
  );
  await aws.elb.send(
    new ConfigureHealthCheckCommand({
      LoadBalancerName: "bench-elb",
      HealthCheck: {
        Target: "TCP:8080",
        Interval: 30,
        Timeout: 5,
        HealthyThreshold: 2,
        UnhealthyThreshold: 2,
      },
    }),
  );
  const tg = await aws.elbv2.send(
    new CreateTargetGroupCommand({ Name: "bench-tg", Protocol: "HTTP", Port: 8080, VpcId: vpcId }),
  );
  const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
  const alb = await aws.elbv2.send(new CreateLoadBalancerCommand({ Name: "bench-alb", Subnets: subnetIds }));
  await aws.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: alb.LoadBalancers?.[0]?.LoadBalancerArn,
      Port: 80,
      DefaultActions: [{ Type: "forward", TargetGroupArn: tgArn }],
    }),
  );
  const hookTag = hookRecord(desiredHook(environment(vpcId).ec2Asg));
  const parsed = parseNamingTemplate(defaultNamingTemplate);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  const replicas = opts.instances / opts.components;
  const groups: string[] = [];
  const templateIds: string[] = [];
  for (let k = 0; k < opts.components; k++) {
    const group = renderName(parsed.template, { project: PROJECT, component: name(k), slot: "A" });
    const tags = {
      "skopos:project": PROJECT,
      "skopos:comp_name": name(k),
      "skopos:image_id": `reg/${name(k)}:1`,
      // What deploy records of the launch hook it put; the hook itself is left out, so that light
      // instances go InService without an agent to complete it.
      "skopos:lifecycle_hook": hookTag,
    };
    const lt = await aws.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: group,
        LaunchTemplateData: { ImageId: DEBIAN_12_AMI, InstanceType: "t3.micro" },
        TagSpecifications: [
          {
            ResourceType: "launch-template",
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          },
        ],
      }),
    );
    templateIds.push(lt.LaunchTemplate?.LaunchTemplateId ?? "");
    await aws.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: group,
        LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate?.LaunchTemplateId, Version: "$Default" },
        MinSize: replicas,
        MaxSize: replicas,
        DesiredCapacity: replicas,
        VPCZoneIdentifier: subnetIds.join(","),
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })),
      }),
    );
    groups.push(group);
  }
  await waitInService(aws, opts.instances);
  const errors = sim.sim.backgroundErrors();
  if (errors.length) throw new Error(`background errors: ${JSON.stringify(errors.slice(0, 3))}`);
  return { vpcId, groups, templateIds, tgArn };
}

async function waitInService(aws: AwsClients, instances: number): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    let ready = 0;
    for await (const page of paginateDescribeAutoScalingGroups(
      { client: aws.autoscaling, pageSize: 100 },
      {},
    ))
      for (const g of page.AutoScalingGroups ?? [])
        ready += (g.Instances ?? []).filter((i) => i.LifecycleState === "InService").length;
    if (ready === instances) return;
    if (Date.now() > deadline) throw new Error(`${ready} of ${instances} instances InService after 10 min`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The naive way: one describe per resource (group, instance, launch template) and per load balancer. */
async function naiveLoad(aws: AwsClients, fleet: Fleet): Promise<number> {
  let instances = 0;
  await aws.ec2.send(new DescribeVpcsCommand({ VpcIds: [fleet.vpcId] }));
  await aws.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [fleet.vpcId] }] }));
  await aws.ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [fleet.vpcId] }] }),
  );
  for (const group of fleet.groups) {
    const out = await aws.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }),
    );
    for (const m of out.AutoScalingGroups?.[0]?.Instances ?? []) {
      await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [m.InstanceId ?? ""] }));
      instances++;
    }
  }
  for (const id of fleet.templateIds)
    await aws.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ["$Default"] }),
    );
  await aws.elb.send(new DescribeClassicCommand({ LoadBalancerNames: ["bench-elb"] }));
  await aws.elb.send(new DescribeInstanceHealthCommand({ LoadBalancerName: "bench-elb" }));
  await aws.elbv2.send(new DescribeTargetGroupsCommand({ Names: ["bench-tg"] }));
  await aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: fleet.tgArn }));
  return instances;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const show = (c: Calls): string =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s} ${n}`)
    .join(", ");

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function main(argv: string[]): Promise<void> {
  const opts = parseOptions(argv);
  print(
    `deploy-scale: ${opts.components} components, ${opts.instances} light instances (state load and plan)`,
  );
  const sim = await startSim({ hostKind: "light", delays: { instancePendingMs: 50, asgReconcileMs: 100 } });
  const aws = createAwsClients({ region: sim.region, endpoint: sim.endpoint, credentials: sim.credentials });
  try {
    const setupStart = performance.now();
    const fleet = await createFleet(sim, aws, opts);
    print(`fleet created and InService in ${round(performance.now() - setupStart)} ms`);
    const env = environment(fleet.vpcId);
    const m = model(opts);
    const hostVpc = () => Promise.reject(new Error("no IMDS here: vpc is set"));
    const load = () =>
      observe(
        { aws, region: sim.region, hostVpc },
        {
          project: PROJECT,
          config: env.ec2Asg,
          limitedPermissions: false,
          components: Object.keys(m.components),
        },
      );
    await load(); // warm-up: connections, JIT
    const loads: Measured[] = [];
    let observed: Observed | undefined;
    for (let i = 0; i < opts.runs; i++) loads.push(await measure(sim, async () => (observed = await load())));
    const members = observed?.groups.reduce((n, g) => n + g.instances.length, 0) ?? 0;
    if (observed?.groups.length !== opts.components || members !== opts.instances)
      throw new Error(`state load found ${observed?.groups.length} groups, ${members} members`);

    const plans: number[] = [];
    let actions = 0;
    sim.resetCallCounts();
    for (let i = 0; i < opts.runs; i++) {
      const start = performance.now();
      const plan = planDeploy(
        {
          project: PROJECT,
          config: env.ec2Asg,
          limitedPermissions: false,
          model: m,
          operation: "deploy",
          replaceAll: false,
          forceReplace: [],
          digests: {},
        },
        observed!,
      );
      plans.push(performance.now() - start);
      actions = plan.changes.reduce((n, c) => n + c.actions.length, 0);
    }
    const planCalls = total(sim.callCounts());
    let naiveInstances = 0;
    const naive = await measure(sim, async () => (naiveInstances = await naiveLoad(aws, fleet)));
    if (naiveInstances !== opts.instances) throw new Error(`naive loop saw ${naiveInstances} instances`);

    const loadMs = median(loads.map((l) => l.ms));
    const loadCalls = loads[loads.length - 1]!.calls;
    const planMs = round(median(plans));
    print(
      `state load (observe): median ${loadMs} ms over ${opts.runs} runs, ${total(loadCalls)} calls (${show(loadCalls)})`,
    );
    print(
      `  baseline, naive per-resource describes: ${naive.ms} ms, ${total(naive.calls)} calls (${show(naive.calls)})`,
    );
    print(
      `  observe: ${ratio(total(loadCalls), total(naive.calls))} of the naive calls (${ratio(total(naive.calls), total(loadCalls))}x fewer), ` +
        `${ratio(loadMs, naive.ms)} of its time (${ratio(naive.ms, loadMs)}x faster)`,
    );
    print(`plan: median ${planMs} ms over ${opts.runs} runs, ${actions} actions, ${planCalls} API calls`);
    print(
      JSON.stringify({
        bench: "deploy-scale",
        components: opts.components,
        instances: opts.instances,
        runs: opts.runs,
        stateLoad: { medianMs: loadMs, calls: total(loadCalls), callsByService: loadCalls },
        plan: { medianMs: planMs, actions, calls: planCalls },
        naive: { ms: naive.ms, calls: total(naive.calls), callsByService: naive.calls },
        ratioCalls: ratio(total(loadCalls), total(naive.calls)),
        ratioTime: ratio(loadMs, naive.ms),
        fewerCalls: ratio(total(naive.calls), total(loadCalls)),
        faster: ratio(naive.ms, loadMs),
      }),
    );
  } finally {
    aws.destroy();
    await sim.stop();
  }
}

// `npm run bench -- sim-scale [--instances 1000] [--runs 20] [--page-size 200]`: how the local
// region copes with a fleet of light instances. One Auto Scaling group grows from 0 to the fleet
// size and back; DescribeInstances lists the whole fleet page by page. Every figure has a baseline
// measured in the same run: the same steps at 10 instances, and for the listing also a naive
// DescribeInstances per instance id. The last line is one JSON object with the figures.
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  paginateDescribeInstances,
} from "@aws-sdk/client-ec2";
import { parseArgs } from "node:util";
import { createAwsClients, type AwsClients } from "#shared/aws/clients.js";
import { startSim, type SimHandle } from "../sim/index.js";
import { DEBIAN_12_AMI } from "../sim/services/ec2/seed.js";
import { intOption } from "./_options.js";

const GROUP = "bench-fleet";
const BASELINE_INSTANCES = 10;
const POLL_MS = 100;

interface Options {
  instances: number;
  runs: number;
  pageSize: number;
}

interface Latency {
  p50: number;
  p95: number;
  /** DescribeInstances calls for one whole listing. */
  calls: number;
  /** Instances a listing returned. */
  listed: number;
}

interface Reconcile {
  /** Wall time from UpdateAutoScalingGroup to every member InService (or the group empty). */
  ms: number;
  /** DescribeAutoScalingGroups calls made while waiting. */
  polls: number;
}

interface FleetFigures {
  instances: number;
  scaleOut: Reconcile;
  describe: Latency;
  scaleIn: Reconcile;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      instances: { type: "string", default: "1000" },
      runs: { type: "string", default: "20" },
      "page-size": { type: "string", default: "200" },
    },
  });
  return {
    instances: intOption("instances", values.instances, BASELINE_INSTANCES, 5000),
    runs: intOption("runs", values.runs, 1, 1000),
    pageSize: intOption("page-size", values["page-size"], 5, 1000),
  };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

const round = (ms: number): number => Math.round(ms * 10) / 10;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** One local region with an empty group over its default subnets. */
async function startFleet(maxSize: number): Promise<{ sim: SimHandle; aws: AwsClients }> {
  const sim = await startSim({ hostKind: "light" });
  const aws = createAwsClients({ region: sim.region, endpoint: sim.endpoint, credentials: sim.credentials });
  const subnets = await aws.ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: "default-for-az", Values: ["true"] }] }),
  );
  const lt = await aws.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: `${GROUP}-lt`,
      LaunchTemplateData: { ImageId: DEBIAN_12_AMI, InstanceType: "t3.micro" },
    }),
  );
  await aws.autoscaling.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: GROUP,
      LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplate?.LaunchTemplateId, Version: "$Latest" },
      MinSize: 0,
      MaxSize: maxSize,
      DesiredCapacity: 0,
      VPCZoneIdentifier: (subnets.Subnets ?? []).map((s) => s.SubnetId).join(","),
    }),
  );
  return { sim, aws };
}

/** Sets the desired capacity and waits (polling as a client would) until the group has converged. */
async function reconcile(aws: AwsClients, desired: number): Promise<Reconcile> {
  let polls = 0;
  const { ms } = await timed(async () => {
    await aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: GROUP, DesiredCapacity: desired }),
    );
    const deadline = Date.now() + 600_000;
    for (;;) {
      polls++;
      const out = await aws.autoscaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }),
      );
      const members = out.AutoScalingGroups?.[0]?.Instances ?? [];
      if (members.length === desired && members.every((m) => m.LifecycleState === "InService")) return;
      if (Date.now() > deadline) throw new Error(`${GROUP} did not reach ${desired} InService in 10 min`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  });
  return { ms: round(ms), polls };
}

async function listAll(aws: AwsClients, pageSize: number): Promise<string[]> {
  const ids: string[] = [];
  const pages = paginateDescribeInstances({ client: aws.ec2, pageSize }, {});
  for await (const page of pages)
    for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) ids.push(i.InstanceId ?? "");
  return ids;
}

/** p50/p95 of a whole paginated listing over `runs` runs, and the calls one listing takes. */
async function describeLatency(sim: SimHandle, aws: AwsClients, opts: Options): Promise<Latency> {
  await listAll(aws, opts.pageSize); // warm-up: connections, JIT
  sim.resetCallCounts();
  const times: number[] = [];
  let listed = 0;
  for (let i = 0; i < opts.runs; i++) {
    const { ms, value } = await timed(() => listAll(aws, opts.pageSize));
    times.push(ms);
    listed = value.length;
  }
  const calls = (sim.callCounts()["ec2:DescribeInstances"] ?? 0) / opts.runs;
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), calls, listed };
}

/** The naive way: one DescribeInstances per instance id, one after the other. */
async function describeOneByOne(sim: SimHandle, aws: AwsClients, ids: string[]): Promise<Reconcile> {
  sim.resetCallCounts();
  const { ms } = await timed(async () => {
    for (const id of ids) await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  });
  return { ms: round(ms), polls: sim.callCounts()["ec2:DescribeInstances"] ?? 0 };
}

async function measureFleet(
  instances: number,
  opts: Options,
  extra?: (sim: SimHandle, aws: AwsClients) => Promise<void>,
): Promise<FleetFigures> {
  const { sim, aws } = await startFleet(instances);
  try {
    const scaleOut = await reconcile(aws, instances);
    const describe = await describeLatency(sim, aws, opts);
    if (describe.listed !== instances)
      throw new Error(`DescribeInstances listed ${describe.listed} instances, expected ${instances}`);
    await extra?.(sim, aws);
    const scaleIn = await reconcile(aws, 0);
    const errors = sim.sim.backgroundErrors();
    if (errors.length) throw new Error(`background errors: ${JSON.stringify(errors.slice(0, 3))}`);
    return { instances, scaleOut, describe, scaleIn };
  } finally {
    aws.destroy();
    await sim.stop();
  }
}

const calls = (n: number): string => `${n} call${n === 1 ? "" : "s"}`;

const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

export async function main(argv: string[]): Promise<void> {
  const opts = parseOptions(argv);
  const n = opts.instances;
  print(`sim-scale: ${n} light instances in one Auto Scaling group (baseline: ${BASELINE_INSTANCES})`);
  const base = await measureFleet(BASELINE_INSTANCES, opts);
  let naive: Reconcile = { ms: 0, polls: 0 };
  const fleet = await measureFleet(n, opts, async (sim, aws) => {
    naive = await describeOneByOne(sim, aws, await listAll(aws, opts.pageSize));
  });
  const perInstance = (r: Reconcile, count: number): string => `${round(r.ms / count)} ms/instance`;

  print(
    `DescribeInstances, whole listing of ${n} (page size ${opts.pageSize}, ${opts.runs} runs): ` +
      `p50 ${fleet.describe.p50} ms, p95 ${fleet.describe.p95} ms, ${calls(fleet.describe.calls)}`,
  );
  print(
    `  baseline, the same listing of ${BASELINE_INSTANCES}: p50 ${base.describe.p50} ms, ` +
      `p95 ${base.describe.p95} ms, ${calls(base.describe.calls)}; ` +
      `x${ratio(fleet.describe.p50, base.describe.p50)} the time for x${n / BASELINE_INSTANCES} the instances`,
  );
  print(
    `  baseline, one DescribeInstances per id: ${naive.ms} ms, ${calls(naive.polls)}; ` +
      `the paged listing takes ${ratio(fleet.describe.p50, naive.ms)} of that time`,
  );
  print(
    `ASG reconcile 0 -> ${n} InService: ${fleet.scaleOut.ms} ms (${perInstance(fleet.scaleOut, n)}, ` +
      `${fleet.scaleOut.polls} polls every ${POLL_MS} ms)`,
  );
  print(
    `  baseline 0 -> ${BASELINE_INSTANCES}: ${base.scaleOut.ms} ms (${perInstance(base.scaleOut, BASELINE_INSTANCES)}); ` +
      `x${ratio(fleet.scaleOut.ms, base.scaleOut.ms)}`,
  );
  print(`ASG reconcile ${n} -> 0: ${fleet.scaleIn.ms} ms (${perInstance(fleet.scaleIn, n)})`);
  print(
    `  baseline ${BASELINE_INSTANCES} -> 0: ${base.scaleIn.ms} ms; x${ratio(fleet.scaleIn.ms, base.scaleIn.ms)}`,
  );
  print(
    JSON.stringify({
      bench: "sim-scale",
      instances: n,
      baselineInstances: BASELINE_INSTANCES,
      runs: opts.runs,
      pageSize: opts.pageSize,
      describeInstances: {
        p50Ms: fleet.describe.p50,
        p95Ms: fleet.describe.p95,
        calls: fleet.describe.calls,
        baseline: { p50Ms: base.describe.p50, p95Ms: base.describe.p95, calls: base.describe.calls },
        ratioToBaseline: ratio(fleet.describe.p50, base.describe.p50),
        naivePerIdMs: naive.ms,
        naivePerIdCalls: naive.polls,
        ratioToNaive: ratio(fleet.describe.p50, naive.ms),
      },
      reconcileScaleOut: {
        ms: fleet.scaleOut.ms,
        baselineMs: base.scaleOut.ms,
        ratioToBaseline: ratio(fleet.scaleOut.ms, base.scaleOut.ms),
      },
      reconcileScaleIn: {
        ms: fleet.scaleIn.ms,
        baselineMs: base.scaleIn.ms,
        ratioToBaseline: ratio(fleet.scaleIn.ms, base.scaleIn.ms),
      },
    }),
  );
}

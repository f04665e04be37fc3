// `npm run bench -- fanout [--instances 20] [--runs 3]`: publishing a one-file change to every member
// of an Auto Scaling group of full instances, against the release model's deployment loop
// (docs/spec/release.md#publish; called the seed loop below, the baseline) on the same instances in
// the same run (one DescribeAutoScalingInstances listing, one DescribeInstances per instance, one rsync after the
// other). Ours: the fan-out and reconcile steps of a publish (members listed in a constant number
// of calls, pushed in parallel, manifests read back), and the whole publish for reference. The last
// line is one JSON object with the figures.
import {
  DescribeAutoScalingGroupsCommand,
  paginateDescribeAutoScalingInstances,
} from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PointerStore } from "../release-server/api/pointer-store.js";
import { pushMembers } from "../release-server/publish/fanout.js";
import { listMembers } from "../release-server/publish/list-members.js";
import { Publisher } from "../release-server/publish/pipeline.js";
import { reconcile } from "../release-server/publish/reconcile.js";
import { freezeAndSnapshot, waitSnapshotCompleted } from "../release-server/publish/snapshot.js";
import { syncVolume } from "../release-server/publish/volume-sync.js";
import type { PublishSettings } from "../release-server/publish/settings.js";
import { silentLogger } from "#shared/log.js";
import { rsyncArgv } from "#shared/proc/argv/rsync.js";
import { sshCommandArgv } from "#shared/proc/argv/ssh.js";
import { run } from "#shared/proc/run.js";
import { bootReleaseHost, createGroup, hostOf, startFleet, type Fleet } from "../test/support/e2e/fleet.js";

const GROUP = "bench-fanout";
const PROJECT = "bench";

interface Options {
  instances: number;
  runs: number;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { instances: { type: "string", default: "20" }, runs: { type: "string", default: "3" } },
  });
  return { instances: Number(values.instances), runs: Number(values.runs) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const say = (line: string) => process.stdout.write(`${line}\n`);
const totalCalls = (fleet: Fleet) => Object.values(fleet.sim.callCounts()).reduce((a, b) => a + b, 0);

export async function main(argv: string[]): Promise<void> {
  const o = options(argv);
  say(`fanout: ${o.instances} full instances, ${o.runs} runs each`);
  const fleet = await startFleet("bench-fanout");
  try {
    const releaseHost = await bootReleaseHost(fleet, PROJECT);
    await createGroup(fleet, GROUP, o.instances);
    const source = join(fleet.dir, "src");
    await mkdir(source, { recursive: true });
    for (let i = 0; i < 50; i++) await writeFile(join(source, `file-${i}.txt`), `${"x".repeat(2000)} ${i}\n`);
    const settings: PublishSettings = {
      project: PROJECT,
      source,
      mountPath: releaseHost.mountPath,
      excludes: [],
      targets: { asgNames: [GROUP], tags: {} },
      ssh: {
        user: "root",
        identityFile: fleet.keyPath,
        knownHostsFile: join(fleet.dir, "known_hosts"),
        controlDir: join(fleet.dir, "ssh-mux"),
      },
      dest: "/release",
      // No agent on these instances: /release is a plain directory, as in the release model.
      requireMount: false,
      concurrency: 16,
      instanceTimeoutMs: 120_000,
      reconcileDeadlineMs: 120_000,
      unreachable: { attempts: 3, afterMs: 60_000 },
      reconcileIntervalMs: 500,
      snapshotTimeoutMs: 120_000,
      maxShrinkPercent: 50,
      retention: 3,
      stateDir: join(fleet.dir, "server"),
    };
    await mkdir(settings.stateDir, { recursive: true });
    const pointers = new PointerStore(join(settings.stateDir, "pointer.json"));
    const publisher = new Publisher(
      { aws: fleet.aws, run, log: silentLogger, pointers, now: () => new Date() },
      settings,
      async () => releaseHost.volumeId,
    );
    say("first publish (every instance gets the whole tree)");
    const first = await publisher.publish();
    if (first.result !== "published" || first.members.some((m) => m.status !== "converged")) {
      throw new Error(`first publish did not converge: ${JSON.stringify(first)}`);
    }
    const fanoutContext = {
      run,
      source: settings.mountPath,
      remote: { ssh: settings.ssh, dest: settings.dest, requireMount: false, ioTimeoutSeconds: 60 },
      concurrency: settings.concurrency,
      instanceTimeoutMs: settings.instanceTimeoutMs,
      log: silentLogger,
      progress: () => {},
    };

    const seed = { ms: [] as number[], calls: [] as number[] };
    const ours = { ms: [] as number[], calls: [] as number[], publishMs: [] as number[] };
    for (let r = 1; r <= o.runs; r++) {
      // The seed loop pushes what is on the release volume, as ours does.
      await writeFile(join(source, "file-0.txt"), `seed run ${r}\n`);
      await publisher.publish();
      fleet.sim.resetCallCounts();
      let t0 = performance.now();
      await seedLoop(fleet, settings);
      seed.ms.push(performance.now() - t0);
      seed.calls.push(totalCalls(fleet));
      await expectEverywhere(fleet, `seed run ${r}\n`);

      await writeFile(join(source, "file-0.txt"), `ours run ${r}\n`);
      // Everything up to the pointer (sync, snapshot, pointer) is the same for both; the fan-out
      // and reconcile are what the seed loop does by other means.
      const releaseId = await syncOnly(fleet, settings, pointers, releaseHost.volumeId);
      fleet.sim.resetCallCounts();
      t0 = performance.now();
      const members = await listMembers(fleet.aws, settings.targets);
      const pushed = await pushMembers(fanoutContext, members);
      const known = new Map([...pushed].flatMap(([id, p]) => (p.state ? [[id, p.state] as const] : [])));
      const result = await reconcile(fanoutContext, {
        releaseId,
        listMembers: () => listMembers(fleet.aws, settings.targets),
        deadlineMs: 60_000,
        intervalMs: 500,
        known,
      });
      ours.ms.push(performance.now() - t0);
      ours.calls.push(totalCalls(fleet));
      if (!result.converged) throw new Error("our fan-out did not converge");
      await expectEverywhere(fleet, `ours run ${r}\n`);

      await writeFile(join(source, "file-0.txt"), `whole publish run ${r}\n`);
      t0 = performance.now();
      const whole = await publisher.publish();
      ours.publishMs.push(performance.now() - t0);
      if (whole.members.some((m) => m.status !== "converged")) throw new Error("publish did not converge");
      say(
        `run ${r}: seed loop ${seed.ms.at(-1)?.toFixed(0)} ms (${seed.calls.at(-1)} calls), ours ${ours.ms.at(-1)?.toFixed(0)} ms (${ours.calls.at(-1)} calls), whole publish ${ours.publishMs.at(-1)?.toFixed(0)} ms`,
      );
    }
    const figures = {
      bench: "fanout",
      instances: o.instances,
      runs: o.runs,
      seedLoopMs: Math.round(median(seed.ms)),
      oursMs: Math.round(median(ours.ms)),
      ratio: Number((median(seed.ms) / median(ours.ms)).toFixed(2)),
      seedLoopCalls: median(seed.calls),
      oursCalls: median(ours.calls),
      oursWholePublishMs: Math.round(median(ours.publishMs)),
      concurrency: settings.concurrency,
    };
    say(
      `seed loop ${figures.seedLoopMs} ms with ${figures.seedLoopCalls} API calls; ours ${figures.oursMs} ms with ${figures.oursCalls} API calls (listing, push with each manifest read back, a second listing): ${figures.ratio}x faster`,
    );
    say(
      `a whole publish (sync, freeze + snapshot, pointer, fan-out, reconcile): ${figures.oursWholePublishMs} ms`,
    );
    say(JSON.stringify(figures));
  } finally {
    await fleet.stop();
  }
}

/** The release model's deployment loop (docs/spec/release.md#publish), command for command, through the SDK and rsync. */
async function seedLoop(fleet: Fleet, s: PublishSettings): Promise<void> {
  const ids: string[] = [];
  for await (const page of paginateDescribeAutoScalingInstances({ client: fleet.aws.autoscaling }, {})) {
    for (const i of page.AutoScalingInstances ?? [])
      if (i.AutoScalingGroupName === GROUP && i.InstanceId) ids.push(i.InstanceId);
  }
  const list: { id: string; ip: string }[] = [];
  for (const id of ids) {
    const out = await fleet.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const ip = out.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress;
    if (ip) list.push({ id, ip });
  }
  for (const { id, ip } of list) {
    await run(
      rsyncArgv({
        source: `${s.mountPath}/`,
        dest: `root@${ip}:/release/`,
        delete: true,
        // As in the release model's loop: a connection of its own for every instance.
        rsh: sshCommandArgv({ ...s.ssh, controlDir: undefined }, id),
      }).map((a) => (a === "-a" ? "-av" : a)),
    );
  }
}

/** The publish's steps before the fan-out (sync, freeze + snapshot, wait, pointer), without pushing. */
async function syncOnly(
  fleet: Fleet,
  s: PublishSettings,
  pointers: PointerStore,
  volumeId: string,
): Promise<string> {
  const started = new Date();
  const { manifest } = await syncVolume(run, s, started, pointers.current());
  const snapshotId = await freezeAndSnapshot(run, fleet.aws.ec2, {
    volumeId,
    mountPath: s.mountPath,
    project: s.project,
    releaseId: manifest.releaseId,
    treeHash: manifest.treeHash,
  });
  await waitSnapshotCompleted(fleet.aws.ec2, snapshotId, { maxWaitMs: 60_000 });
  await pointers.publish({
    releaseId: manifest.releaseId,
    snapshotId,
    treeHash: manifest.treeHash,
    time: started.toISOString(),
  });
  return manifest.releaseId;
}

async function expectEverywhere(fleet: Fleet, content: string): Promise<void> {
  const out = await fleet.aws.autoscaling.send(
    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }),
  );
  for (const i of out.AutoScalingGroups?.[0]?.Instances ?? []) {
    const got = await (await hostOf(fleet, i.InstanceId ?? "")).sh("cat /release/file-0.txt");
    if (`${got}\n` !== content)
      throw new Error(`${i.InstanceId} has ${JSON.stringify(got)}, not ${JSON.stringify(content)}`);
  }
}

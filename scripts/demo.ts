// `npm run demo`: the release path from end to end in the local region, narrated. A VPC, a release
// host (`asg-release-server init`, then the daemon), an Auto Scaling group of 3 full instances whose
// boot agent mounts the current release; a publish with `asg-release publish`; a file change pushed
// by the watcher; a scale-out to 5 whose new instances boot with the current release; then cleanup.
import { UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { StatusReport } from "../release-server/api/status.js";
import { table } from "../cli/format.js";
import { start } from "#shared/proc/run.js";
import { groupInstances, hostOf, waitUntil } from "../test/support/e2e/fleet.js";
import { served, startStack, type Stack } from "../test/support/e2e/stack.js";

const GROUP = "web";
const root = join(import.meta.dirname, "..");
const STEPS = 7;
const t0 = performance.now();
const clock = () => `${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s`;
const out = (line = "") => process.stdout.write(`${line}\n`);
let n = 0;
const step = (title: string) => out(`\n==> [${++n}/${STEPS}] ${title}  (${clock()})`);
const note = (line: string) => out(`    ${line}`);
const timings: [string, number][] = [];

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const v = await fn();
  timings.push([what, performance.now() - started]);
  return v;
}

export async function main(): Promise<void> {
  out("asg-release demo: releases for an Auto Scaling group, in a local AWS region on this machine");
  let stack: Stack | undefined;
  const cleanup = async () => {
    if (!stack) return;
    const s = stack;
    stack = undefined;
    await s.stop();
  };
  process.once("SIGINT", () => {
    out("\ninterrupted: cleaning up");
    void cleanup().then(() => process.exit(130));
  });
  try {
    step("Local region, VPC, release host and release server, Auto Scaling group of 3 with the boot agent");
    stack = await timed("set up", () =>
      startStack({
        prefix: "demo",
        group: GROUP,
        size: 3,
        vpc: true,
        // Long enough for `asg-release publish` (a new process) to ask before the watcher does, in step 2.
        debounceMs: 5000,
        serverArgs: ["--reconcile-every", "3"],
        say: note,
      }),
    );
    await showMembers(stack, "every instance booted with the release the server published at start");

    step("Publish a release with `asg-release publish`");
    await writeFile(join(stack.source, "www", "index.html"), "hello from release 2\n");
    note("www/index.html changed to: hello from release 2");
    await timed("publish", () =>
      cli(["publish", "--server", stack!.apiUrl, "--token-file", stack!.tokenFile]),
    );
    await showMembers(stack, "each instance serves it");

    step("Change a file: the watcher publishes and pushes it");
    await writeFile(join(stack.source, "www", "index.html"), "hello from release 3\n");
    note("www/index.html changed to: hello from release 3 (the watcher publishes after 5 s of quiet)");
    await timed("change to every member", () => everyoneServes(stack!, "hello from release 3\n"));
    await showMembers(stack, "converged");

    step("Scale out to 5: new instances boot with the current release");
    const before = new Set((await groupInstances(stack.fleet, GROUP)).map((m) => m.instanceId));
    await stack.fleet.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: GROUP, DesiredCapacity: 5 }),
    );
    await timed("scale-out to 5", () => everyoneServes(stack!, "hello from release 3\n", 5));
    await showMembers(stack, "the two new instances (new) booted from the release snapshot", before);

    step("`asg-release status`");
    await cli(["status", "--server", stack.apiUrl]);

    step("Clean up");
    await timed("clean up", cleanup);
    note("region stopped: instances, volumes, snapshots, mounts and loop devices are gone");

    step("Summary");
    out(
      table(
        ["STEP", "SECONDS"],
        timings.map(([what, ms]) => [what, (ms / 1000).toFixed(1)]),
      ),
    );
    out(`\ndone in ${clock().trim()}`);
  } catch (err) {
    out(`\ndemo failed: ${(err as Error).message}`);
    await cleanup().catch(() => undefined);
    process.exitCode = 1;
  }
}

/** Runs the `asg-release` CLI with the terminal, as an operator would. */
async function cli(args: string[]): Promise<void> {
  const ended = await start([process.execPath, join(root, "bin", "asg-release.js"), ...args], {
    output: "inherit",
  }).done;
  if (ended.exitCode !== 0) {
    throw new Error(`asg-release ${args[0]} exited ${ended.exitCode ?? ended.signal ?? ended.reason}`);
  }
}

async function everyoneServes(stack: Stack, text: string, count?: number): Promise<void> {
  let last = "";
  await waitUntil(
    `every instance serving ${JSON.stringify(text.trim())}`,
    async () => {
      const members = (await groupInstances(stack.fleet, GROUP)).filter((m) => m.state === "InService");
      const bodies = await Promise.all(
        members.map(async (m) => served(await hostOf(stack.fleet, m.instanceId))),
      );
      const on = bodies.filter((b) => b === text).length;
      const line = `${on} of ${count ?? members.length} instance(s) serving it`;
      if (line !== last) note((last = line));
      return on === (count ?? members.length) && members.length === (count ?? members.length)
        ? true
        : undefined;
    },
    300_000,
  );
}

async function showMembers(stack: Stack, caption: string, before?: Set<string>): Promise<void> {
  // What the release server last checked, once it has checked every member on the current release.
  const status = await waitUntil("the release server to check every member", async () => {
    const s = (await (await fetch(`${stack.apiUrl}/v1/status`)).json()) as StatusReport;
    const members = (await groupInstances(stack.fleet, GROUP)).filter((m) => m.state === "InService");
    const onIt = new Set(
      s.members.filter((m) => m.releaseId === s.current?.releaseId).map((m) => m.instanceId),
    );
    return !s.publishing && members.every((m) => onIt.has(m.instanceId)) ? s : undefined;
  });
  const releaseOf = new Map(status.members.map((m) => [m.instanceId, m.releaseId ?? "-"]));
  const rows: string[][] = [];
  for (const m of await groupInstances(stack.fleet, GROUP)) {
    const host = await hostOf(stack.fleet, m.instanceId);
    const isNew = before && !before.has(m.instanceId) ? " (new)" : "";
    rows.push([
      `${m.instanceId}${isNew}`,
      host.privateIp,
      m.state,
      releaseOf.get(m.instanceId) ?? "-",
      (await served(host)).trim(),
    ]);
  }
  note(`${caption}; current release ${status.current?.releaseId ?? "-"}:`);
  out(
    table(
      ["INSTANCE", "ADDRESS", "STATE", "RELEASE (checked by the server)", "SERVES http://ADDRESS:8080/"],
      rows,
    )
      .split("\n")
      .map((l) => `    ${l}`)
      .join("\n"),
  );
}

// The autoscale race (docs/spec/release.md#autoscale-race), closed: a scale-out injected between each pair of
// publish steps still ends with every member on the new release (the pointer is published before the fan-out,
// and the reconcile lists members again and pushes to any launched from the previous snapshot).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";
import type { StatusReport } from "../../release-server/api/status.js";
import type { Step } from "../../release-server/publish/journal.js";
import {
  describeGroup,
  groupInstances,
  hostOf,
  scaleGroup,
  waitInService,
  waitUntil,
} from "../support/e2e/fleet.js";
import { requestPublish } from "../support/e2e/publish-client.js";
import { served, startStack, type Stack } from "../support/e2e/stack.js";

let stack: Stack;
let size = 1;

beforeAll(async () => {
  stack = await startStack({ prefix: "e2e-race", group: "web", size, reconcileDeadlineSeconds: 90 });
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(() => {
  onTestFailed(async () => {
    process.stderr.write(`${await describeGroup(stack.fleet, stack.group)}\n`);
  });
});

/** No publish running, twice in a row a second apart (longer than the watcher's debounce). */
async function daemonIdle(): Promise<void> {
  const idle = async () =>
    !((await (await fetch(`${stack.apiUrl}/v1/status`)).json()) as StatusReport).publishing;
  await waitUntil("the release server idle", async () => {
    if (!(await idle())) return undefined;
    await new Promise((r) => setTimeout(r, 1000));
    return (await idle()) ? true : undefined;
  });
}

const BETWEEN: Step[] = [
  "synced",
  "snapshot-started",
  "snapshot-completed",
  "pointer-published",
  "fanned-out",
];

describe("a scale-out during a publish", () => {
  it.each(BETWEEN)("right after %s still ends with every member on the new release", async (step) => {
    // The watcher's own follow-up of the last round (an unchanged publish) must not pick this change up.
    await daemonIdle();
    const content = `after ${step}\n`;
    await writeFile(join(stack.source, "www", "index.html"), content);
    size++;
    let scaled: Promise<void> | undefined;
    const run = requestPublish(stack.apiUrl, stack.tokenFile, (e) => {
      if (e.type === "step" && e.step === step && e.status === "done" && !scaled) {
        scaled = scaleGroup(stack.fleet, stack.group, size, false);
      }
    });
    const report = await run.report;
    expect(scaled).toBeDefined();
    await scaled;
    expect(report?.result).toBe("published");
    // The watcher saw the same change and queued a publish behind this one, which may supersede its
    // reconcile: members still booting are then left to that publish, and reported as booting.
    const behind = report?.members.filter((m) => m.status !== "converged") ?? [];
    if (report?.superseded) {
      expect(behind.filter((m) => !m.reason?.startsWith("booting"))).toEqual([]);
    } else expect(behind).toEqual([]);
    const ids = await waitInService(stack.fleet, stack.group, size, 180_000);
    const bodies = await waitUntil(`every member serving ${JSON.stringify(content)}`, async () => {
      const all = await Promise.all(ids.map(async (id) => served(await hostOf(stack.fleet, id))));
      return all.every((b) => b === content) ? all : undefined;
    });
    expect(bodies).toHaveLength(size);
    expect((await groupInstances(stack.fleet, stack.group)).length).toBe(size);
  });
});

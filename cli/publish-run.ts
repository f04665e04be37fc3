// What `asg-release publish` does (cli/publish.ts declares it): ask the release server for a publish,
// show its steps as they happen, end with a table of every member. Loaded by the command's action only.
import { Listr, type ListrTask } from "listr2";
import { AsgReleaseError } from "#shared/errors.js";
import type { Step } from "../release-server/publish/journal.js";
import type { ProgressEvent, PublishReport } from "../release-server/publish/report.js";
import { membersTable, publishSummary } from "./format.js";
import { postLines, resolveServer, type ClientOptions } from "./server-client.js";

/** The steps as shown; "frozen" is part of taking the snapshot. */
const SHOWN: { step: Step; title: string }[] = [
  { step: "synced", title: "Sync the tree into the release volume, manifest last" },
  { step: "snapshot-started", title: "Freeze the volume, create the snapshot, thaw" },
  { step: "snapshot-completed", title: "Wait for the snapshot to complete" },
  { step: "pointer-published", title: "Publish the pointer" },
  { step: "fanned-out", title: "Push to every member" },
  { step: "reconciled", title: "Reconcile until every member reports the release" },
];

interface Waiter {
  promise: Promise<"done" | "skip">;
  settle(outcome: "done" | "skip" | Error): void;
  output?: (text: string) => void;
}

export async function runPublish(
  opts: ClientOptions & { json?: boolean; allowShrink?: boolean; rollbackTo?: string },
): Promise<void> {
  const report = await publishWithProgress(opts, !opts.json, publishPath(opts));
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : `\n${membersTable(report.members)}\n\n${publishSummary(report)}\n`,
  );
  if (report.result === "failed") throw new AsgReleaseError("publish failed", { code: "PublishFailed" });
  const stragglers = report.members.filter((m) => m.status === "straggler").length;
  if (stragglers > 0) process.exitCode = 1;
}

/** The publish request's path: ?allow_shrink=1 and ?rollback_to=ID pass the operator's options on. */
export function publishPath(o: { allowShrink?: boolean; rollbackTo?: string }): string {
  const q = new URLSearchParams();
  if (o.allowShrink) q.set("allow_shrink", "1");
  if (o.rollbackTo) q.set("rollback_to", o.rollbackTo);
  const query = q.toString();
  return query ? `/v1/publish?${query}` : "/v1/publish";
}

async function publishWithProgress(opts: ClientOptions, show: boolean, path: string): Promise<PublishReport> {
  const target = await resolveServer(opts);
  const waiters = new Map<Step, Waiter>(SHOWN.map(({ step }) => [step, waiter()]));
  let report: PublishReport | undefined;
  const onEvent = (e: ProgressEvent) => {
    if (e.type === "result") {
      report = e.report;
      const end = e.report.result === "failed" ? new Error(e.report.error ?? "publish failed") : "skip";
      for (const w of waiters.values()) w.settle(end);
    } else if (e.type === "push") {
      waiters
        .get("fanned-out")
        ?.output?.(`${e.instanceId}: ${e.status}${e.message ? ` (${e.message})` : ""}`);
    } else if (e.step === "recovered") {
      waiters.get("synced")?.output?.(e.message ?? "resumed an interrupted publish");
    } else if (e.status === "done" || e.status === "skip") {
      waiters.get(e.step === "frozen" ? "snapshot-started" : e.step)?.settle(e.status);
    } else if (e.message) {
      waiters.get(e.step)?.output?.(e.message);
    }
  };
  const stream = postLines(target, path, (line) => onEvent(JSON.parse(line) as ProgressEvent));
  if (show) {
    const tasks: ListrTask[] = SHOWN.map(({ step, title }) => ({
      title,
      task: async (_ctx, task) => {
        const w = waiters.get(step) as Waiter;
        w.output = (text) => {
          task.output = text;
        };
        if ((await w.promise) === "skip") task.skip("not needed: the tree is the released one");
      },
    }));
    await Promise.all([
      new Listr(tasks, { exitOnError: true, rendererOptions: { collapseSkips: false } })
        .run()
        .catch(() => undefined),
      stream,
    ]);
  } else await stream;
  if (!report) throw new AsgReleaseError("the release server ended the publish without a report");
  return report;
}

function waiter(): Waiter {
  let settle!: Waiter["settle"];
  let done = false;
  const promise = new Promise<"done" | "skip">((resolve, reject) => {
    settle = (outcome) => {
      if (done) return;
      done = true;
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
  });
  promise.catch(() => undefined);
  return { promise, settle: (o) => settle(o) };
}

// What `asg-release publish` does (cli/publish.ts declares it): ask the release server for a publish,
// show its steps as they happen, end with a table of every member. Loaded by the command's action only.
import { Listr, type ListrTask } from "listr2";
import { AsgReleaseError } from "#shared/errors.js";
import type { Step } from "../release-server/publish/journal.js";
import type { ProgressEvent, PublishReport } from "../release-server/publish/report.js";
import { membersTable, publishSummary } from "./format.js";
import { NOTHING_TO_PUBLISH, progressReader, SHOWN } from "./publish-progress.js";
import { postLines, resolveServer, type ClientOptions } from "./server-client.js";

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
  // Nothing is drawn before the server accepted the request (a wrong token is refused first).
  const read = await postLines(target, path);
  const waiters = new Map<Step, Waiter>(SHOWN.map(({ step }) => [step, waiter()]));
  const next = progressReader();
  let report: PublishReport | undefined;
  // Notes stay under the first step on a terminal (listr's persistent output); otherwise, where the
  // display is plain lines that leave task output out, or with --json, they are lines of their own.
  const live = show && Boolean(process.stdout.isTTY);
  const notes: string[] = [];
  const onEvent = (e: ProgressEvent) => {
    if (e.type === "result") report = e.report;
    const a = next(e);
    if (a.kind === "end") for (const w of waiters.values()) w.settle(a.error ? new Error(a.error) : "skip");
    else if (a.kind === "settle") waiters.get(a.step)?.settle(a.outcome);
    else if (a.kind === "output") waiters.get(a.step)?.output?.(a.text);
    else if (a.kind === "note") {
      notes.push(a.text);
      if (live) waiters.get("synced")?.output?.(notes.join("\n"));
      else (show ? process.stdout : process.stderr).write(`${a.text}\n`);
    }
  };
  const stream = read((line) => onEvent(JSON.parse(line) as ProgressEvent));
  if (show) {
    const tasks: ListrTask[] = SHOWN.map(({ step, title }) => ({
      title,
      ...(step === "synced" ? { rendererOptions: { persistentOutput: true } } : {}),
      task: async (_ctx, task) => {
        const w = waiters.get(step) as Waiter;
        w.output = (text) => {
          task.output = text;
        };
        // Notes that came before the display started.
        if (live && step === "synced" && notes.length > 0) task.output = notes.join("\n");
        if ((await w.promise) === "skip") task.skip(NOTHING_TO_PUBLISH);
      },
    }));
    await Promise.all([
      new Listr(tasks, {
        exitOnError: true,
        rendererOptions: { collapseSkips: false },
        fallbackRendererCondition: !live,
      })
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

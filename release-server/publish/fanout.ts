// Pushes the release to members in parallel: bounded concurrency, a timeout per instance, each
// result logged and counted. Which members to push is decided elsewhere (fanout-plan.ts).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { field, type Logger } from "#shared/log.js";
import { MANIFEST_PATH } from "#shared/release/manifest.js";
import type { Run } from "#shared/proc/run.js";
import type { Metrics } from "../api/metrics.js";
import { mapLimit } from "./map-limit.js";
import { pushRelease, type PushResult } from "./member-io.js";
import type { Member } from "./members.js";
import type { RemoteSettings } from "./remote.js";
import type { Progress } from "./report.js";

export interface FanoutContext {
  run: Run;
  /** The release tree to push: the mounted release volume. */
  source: string;
  remote: RemoteSettings;
  concurrency: number;
  instanceTimeoutMs: number;
  log: Logger;
  metrics?: Metrics;
  progress: Progress;
  signal?: AbortSignal;
}

export async function pushMembers(
  ctx: FanoutContext,
  members: readonly Member[],
): Promise<Map<string, PushResult>> {
  const results = new Map<string, PushResult>();
  // The manifest on the release volume is the one every instance gets, last.
  const manifestText = await readFile(join(ctx.source, MANIFEST_PATH), "utf8");
  await mapLimit(members, ctx.concurrency, async (m) => {
    if (!m.privateIp) return;
    const result = await pushRelease(
      ctx.run,
      ctx.source,
      manifestText,
      { instanceId: m.instanceId, privateIp: m.privateIp },
      ctx.remote,
      ctx.instanceTimeoutMs,
      ctx.signal,
    );
    results.set(m.instanceId, result);
    ctx.metrics?.recordPush(result.ok ? "ok" : "failed");
    const fields = {
      [field.instanceId]: m.instanceId,
      [field.asg]: m.asg,
      [field.durationMs]: result.durationMs,
    };
    if (result.ok) ctx.log.info(fields, "pushed");
    else ctx.log.warn({ ...fields, reason: result.message }, "push failed");
    ctx.progress({
      type: "push",
      instanceId: m.instanceId,
      status: result.ok ? "ok" : "failed",
      ...(result.ok ? {} : { message: result.message }),
    });
  });
  return results;
}

// A boot that fails before it knows its instance (the configuration does not load, the identity
// document cannot be read) still answers the launch hook: ABANDON when the hook can be known, so
// Auto Scaling replaces the instance now rather than at the heartbeat timeout. What is known comes
// from IMDS (the instance id and region, from the identity document or else the two metadata paths)
// and from whatever of the configuration parses (lifecycle.hook and .complete, region, status_file).
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import type { AwsClients } from "#shared/aws/clients.js";
import { readIdentity, type Imds } from "#shared/aws/imds.js";
import { AsgReleaseError, exitCodeOf, messageOf } from "#shared/errors.js";
import type { Logger } from "#shared/log.js";
import type { Run } from "#shared/proc/run.js";
import { version } from "#shared/version.js";
import { DEFAULT_STATUS_FILE, writeStatus, type AgentStatus } from "./state.js";
import { completeLaunchHook, findLaunchHook } from "./steps/lifecycle.js";
import { notifySystemd, type LifecycleReport } from "./steps/report.js";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/** What a configuration that does not validate may still say about the hook and the status file. */
export interface ConfigHints {
  hook?: string;
  /** false only when the file says `lifecycle.complete: false`. */
  complete: boolean;
  region?: string;
  statusFile: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The hints in the file's text, read leniently: a key that is missing or of the wrong type is none. */
export function configHints(text: string | undefined): ConfigHints {
  let doc: unknown;
  try {
    doc = text === undefined ? undefined : parse(text);
  } catch {
    doc = undefined;
  }
  const root = isRecord(doc) ? doc : {};
  const lifecycle = isRecord(root.lifecycle) ? root.lifecycle : {};
  const hook = typeof lifecycle.hook === "string" ? lifecycle.hook.trim() : "";
  return {
    ...(hook ? { hook } : {}),
    complete: lifecycle.complete !== false,
    ...(typeof root.region === "string" && REGION.test(root.region) ? { region: root.region } : {}),
    statusFile:
      typeof root.status_file === "string" && root.status_file.startsWith("/")
        ? root.status_file
        : DEFAULT_STATUS_FILE,
  };
}

/**
 * The instance id and region: from the identity document, else, when IMDS answered but not with a
 * usable document, from meta-data/instance-id and placement/region. An IMDS that does not answer at
 * all is not asked again.
 */
export async function whoAmI(
  imds: Imds,
  /** How reading the identity document failed already, so it is not read again. */
  identityError?: unknown,
): Promise<{ instanceId: string; region: string }> {
  try {
    if (identityError !== undefined) throw identityError;
    const me = await readIdentity(imds);
    return { instanceId: me.instanceId, region: me.region };
  } catch (err) {
    if (!imdsAnswered(err)) throw err;
    const read = (path: string) =>
      imds.request(path, {}).then(
        (t) => t.trim(),
        () => "",
      );
    const instanceId = await read("/latest/meta-data/instance-id");
    const region = await read("/latest/meta-data/placement/region");
    if (!INSTANCE_ID.test(instanceId) || !REGION.test(region)) throw err;
    return { instanceId, region };
  }
}

/** Whether the failure came from an answer (a bad document, an HTTP error), not from no answer. */
function imdsAnswered(err: unknown): boolean {
  // Down the chain of causes: a step's error wraps the identity error, which wraps the SDK's.
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AsgReleaseError && e.code === "ImdsInvalid") return true;
    if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined)
      return true;
  }
  return false;
}

export interface AbandonInput {
  imds: Imds;
  /** The identity document's failure, when it failed already. */
  identityError?: unknown;
  makeAws: (region: string) => AwsClients;
  log: Logger;
  signal?: AbortSignal;
  hook?: string;
  region?: string;
}

/** ABANDONs the launch hook holding this instance, when one does and it can be known. Never throws. */
export async function abandonLaunch(o: AbandonInput): Promise<LifecycleReport> {
  let aws: AwsClients | undefined;
  try {
    const identity = await whoAmI(o.imds, o.identityError);
    aws = o.makeAws(o.region ?? identity.region);
    const ctx = {
      identity,
      aws,
      log: o.log.child({ instanceId: identity.instanceId }),
      ...(o.signal ? { signal: o.signal } : {}),
      config: { lifecycle: { hook: o.hook } },
    };
    const held = await findLaunchHook(ctx);
    if (!held) return "none";
    return (await completeLaunchHook(ctx, held, "ABANDON")) === "completed" ? "ABANDON" : "already completed";
  } catch (err) {
    o.log.error({ err: messageOf(err) }, "could not abandon the launch lifecycle action");
    return "none";
  } finally {
    aws?.destroy();
  }
}

export interface ConfigFailureInput extends Omit<AbandonInput, "hook" | "region"> {
  /** The configuration file that did not load. */
  file: string;
  err: unknown;
  run: Run;
  notifySocket?: string;
  now: () => Date;
}

/**
 * A configuration that does not load: the launch hook ABANDONed (unless the file says
 * `lifecycle.complete: false`), the reason in the status file, systemd's STATUS= and one log line.
 * A file that is not there at all is left at the error: the unit does not start without one, so
 * this is someone trying the agent by hand, not a boot.
 */
export async function reportConfigFailure(o: ConfigFailureInput): Promise<AgentStatus | undefined> {
  const text = await readFile(o.file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const hints = configHints(text);
  const reason = messageOf(o.err);
  const lifecycle = hints.complete
    ? await abandonLaunch({
        ...o,
        ...(hints.hook ? { hook: hints.hook } : {}),
        ...(hints.region ? { region: hints.region } : {}),
      })
    : "none";
  const at = o.now().toISOString();
  const status: AgentStatus = {
    state: "failed",
    startedAt: at,
    updatedAt: at,
    version,
    step: "config",
    reason,
    exitCode: exitCodeOf(o.err),
    lifecycle,
    warnings: [],
    steps: [],
  };
  await writeStatus(hints.statusFile, status).catch((err: unknown) =>
    o.log.warn({ err: messageOf(err) }, "could not write the status file"),
  );
  await notifySystemd(
    { run: o.run, ...(o.notifySocket ? { notifySocket: o.notifySocket } : {}) },
    { status: `failed: ${reason}` },
  ).catch(() => undefined);
  o.log.error({ step: "config", err: reason, lifecycle }, "boot failed");
  return status;
}

// The two things the fan-out does to one instance, over ssh: push the release (tree, then manifest)
// and read which release it has. Failures are results with a reason, not exceptions: one bad
// instance never stops the others.
import { CommandError, messageOf } from "#shared/errors.js";
import { classifySshFailure } from "#shared/proc/argv/ssh.js";
import type { Run } from "#shared/proc/run.js";
import { parseManifest } from "#shared/release/manifest.js";
import type { MemberState } from "./plan/fanout.js";
import {
  EXIT_NO_MANIFEST,
  EXIT_NOT_MOUNTED,
  NOT_MOUNTED_MARK,
  prepareWriteArgv,
  pushTreeArgv,
  readManifestArgv,
  REMOUNTED_RW_MARK,
  restoreReadOnlyArgv,
  type RemoteSettings,
  type RemoteTarget,
  writeManifestArgv,
} from "./remote.js";
import { EXIT_NOT_RELEASE_VOLUME, NOT_RELEASE_VOLUME_MARK } from "./target-proof.js";

export type PushResult =
  | { ok: true; durationMs: number; state: MemberState }
  | { ok: false; durationMs: number; state?: MemberState; message: string };

/**
 * Pushes the release tree at `source`, then its manifest (`manifestText`), to one instance. A
 * release mounted read-only is remounted read-write for the push and read-only again after it,
 * also when the push fails; a member the remount back fails on is reported as left read-write.
 */
export async function pushRelease(
  run: Run,
  source: string,
  manifestText: string,
  target: RemoteTarget,
  s: RemoteSettings,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<PushResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.max(1000, deadline - Date.now());
  let remounted = false;
  // Best effort, and never cut short by the abort signal: a member is not left writable on purpose.
  const restore = async (): Promise<string | undefined> => {
    if (!remounted) return undefined;
    try {
      await run(restoreReadOnlyArgv(target, s), { timeoutMs: Math.max(10_000, remaining()) });
      return undefined;
    } catch (err) {
      return `left read-write: ${describeFailure(err).message}`;
    }
  };
  try {
    const prepared = await run(prepareWriteArgv(target, s), { timeoutMs: remaining(), signal });
    remounted = prepared.stdout.includes(REMOUNTED_RW_MARK);
    await run(pushTreeArgv(source, target, s), { timeoutMs: remaining(), signal });
    // The manifest goes only after the whole tree is in place: it then names a release the
    // instance fully has. The session reads it back, so the result is what the instance claims.
    const out = await run(writeManifestArgv(target, s), {
      input: manifestText,
      timeoutMs: remaining(),
      signal,
    });
    const manifest = parseManifest(out.stdout);
    const state: MemberState = manifest
      ? { kind: "on-release", releaseId: manifest.releaseId }
      : { kind: "no-manifest" };
    const left = await restore();
    if (left) {
      return {
        ok: false,
        durationMs: elapsed(),
        state: {
          kind: "left-writable",
          ...(manifest ? { releaseId: manifest.releaseId } : {}),
          message: left,
        },
        message: left,
      };
    }
    return { ok: true, durationMs: elapsed(), state };
  } catch (err) {
    const failure = describeFailure(err);
    const left = await restore();
    if (!left) return { ok: false, durationMs: elapsed(), ...failure };
    const message = `${failure.message}; ${left}`;
    return { ok: false, durationMs: elapsed(), state: { kind: "left-writable", message }, message };
  }
}

export async function readMemberState(
  run: Run,
  target: RemoteTarget,
  s: RemoteSettings,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<MemberState> {
  try {
    const out = await run(readManifestArgv(target, s), {
      timeoutMs,
      signal,
      okExitCodes: [0, EXIT_NOT_MOUNTED, EXIT_NOT_RELEASE_VOLUME, EXIT_NO_MANIFEST],
    });
    if (out.exitCode === EXIT_NOT_MOUNTED) return { kind: "not-mounted" };
    if (out.exitCode === EXIT_NOT_RELEASE_VOLUME) {
      return (
        notReleaseVolume(out.stderr) ?? { kind: "not-release-volume", message: "the target proof failed" }
      );
    }
    if (out.exitCode === EXIT_NO_MANIFEST) return { kind: "no-manifest" };
    const manifest = parseManifest(out.stdout);
    // A manifest that does not parse names no release: treat it as absent and push again.
    return manifest ? { kind: "on-release", releaseId: manifest.releaseId } : { kind: "no-manifest" };
  } catch (err) {
    const failure = describeFailure(err);
    return failure.state ?? { kind: "unreachable", message: failure.message };
  }
}

function describeFailure(err: unknown): { state?: MemberState; message: string } {
  if (!(err instanceof CommandError)) return { message: messageOf(err) };
  if (err.context.timedOut)
    return { state: { kind: "unreachable", message: "timed out" }, message: "timed out" };
  const stderr = err.stderrTail;
  if (stderr.includes(NOT_MOUNTED_MARK)) {
    return { state: { kind: "not-mounted" }, message: "the release volume is not mounted" };
  }
  const notOurs = notReleaseVolume(stderr);
  if (notOurs) return { state: notOurs, message: `not the release volume: ${notOurs.message}` };
  const ssh = classifySshFailure(stderr);
  if (ssh.kind === "host-key-mismatch") {
    return { state: { kind: "host-key-mismatch", message: ssh.message }, message: ssh.message };
  }
  if (ssh.kind === "unreachable" || ssh.kind === "auth") {
    return { state: { kind: "unreachable", message: ssh.message }, message: ssh.message };
  }
  return { message: `${err.command} exit ${err.exit ?? "signal"}: ${lastLine(stderr)}` };
}

/** The target proof's reason, from the stderr of a session it stopped. */
function notReleaseVolume(stderr: string): Extract<MemberState, { kind: "not-release-volume" }> | undefined {
  const line = stderr.split("\n").find((l) => l.includes(NOT_RELEASE_VOLUME_MARK));
  if (line === undefined) return undefined;
  return {
    kind: "not-release-volume",
    message: line.slice(line.indexOf(NOT_RELEASE_VOLUME_MARK) + NOT_RELEASE_VOLUME_MARK.length).trim(),
  };
}

const lastLine = (text: string): string =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1) ?? "";

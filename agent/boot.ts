// `asg-release-agent boot`: the steps in order, each observing before acting
// (docs/design.md#the-release-path, boot). Each step logs one line with its duration and updates
// the status file. On failure the launch hook is abandoned (also when the identity is unknown, as far
// as IMDS tells) and the reason goes to the log, the status file and systemd.
import type { AwsClients } from "#shared/aws/clients.js";
import { AsgReleaseError, ConfigError, StepError, exitCodeOf, messageOf } from "#shared/errors.js";
import { field, logOp } from "#shared/log.js";
import { version } from "#shared/version.js";
import type { AgentContext, InstanceContext } from "./context.js";
import { abandonLaunch } from "./early-abandon.js";
import { writeStatus, type AgentStatus } from "./state.js";
import { ensureContainer, removeContainer } from "./steps/container.js";
import { readIdentity, type Identity, type Imds } from "#shared/aws/imds.js";
import { ensureMount } from "./steps/mount.js";
import { observeMount } from "./steps/observe-mount.js";
import { findPointer } from "./steps/pointer.js";
import { rememberPointer } from "./steps/pointer-trust.js";
import { waitReady } from "./steps/readiness.js";
import { notifySystemd, reportFailed, reportReady } from "./steps/report.js";
import { verifySnapshot } from "./steps/snapshot.js";
import { releaseStaleVolumes } from "./steps/stale-volumes.js";
import { lookForDevice, type Device } from "./steps/device.js";
import { ensureVolume } from "./steps/volume.js";

export interface BootDeps {
  imds: Imds;
  /** Made once the region is known (from the config or the identity document). */
  makeAws: (region: string) => AwsClients;
}

export async function boot(ctx: AgentContext, deps: BootDeps): Promise<AgentStatus> {
  const now = () => new Date(ctx.clock.now()).toISOString();
  const status: AgentStatus = {
    state: "booting",
    startedAt: now(),
    updatedAt: now(),
    version,
    warnings: [],
    steps: [],
  };
  const save = async () => {
    status.updatedAt = now();
    await writeStatus(ctx.config.status_file, status).catch((err: unknown) =>
      ctx.log.warn({ err: messageOf(err) }, "could not write the status file"),
    );
  };
  let ictx: InstanceContext | undefined;
  const step = async <T>(name: string, fn: () => Promise<T>, detail?: (r: T) => string): Promise<T> => {
    status.step = name;
    await save();
    const started = ctx.clock.now();
    try {
      const result = await logOp(ctx.log, name, fn, { [field.step]: name });
      status.steps.push({
        name,
        outcome: "done",
        durationMs: ctx.clock.now() - started,
        ...(detail ? { detail: detail(result) } : {}),
      });
      return result;
    } catch (err) {
      status.steps.push({ name, outcome: "failed", durationMs: ctx.clock.now() - started });
      throw err instanceof ConfigError || err instanceof StepError
        ? err
        : new StepError(name, messageOf(err), {
            cause: err,
            exitCode: exitCodeOf(err),
            context: contextOf(err),
          });
    }
  };

  try {
    const identity: Identity = await step(
      "identity",
      () => readIdentity(deps.imds),
      (i) => `${i.instanceId} in ${i.availabilityZone}`,
    );
    status.instanceId = identity.instanceId;
    const aws = deps.makeAws(ctx.config.region ?? identity.region);
    ictx = { ...ctx, identity, aws, log: ctx.log.child({ [field.instanceId]: identity.instanceId }) };
    const c = ictx;

    const release = await step(
      "pointer",
      async () => {
        const claim = await findPointer(c);
        const verified = await verifySnapshot(c, claim, {
          owner: c.config.pointer.owner ?? identity.accountId,
          project: c.config.project,
        });
        await rememberPointer(c, claim);
        return verified;
      },
      (r) => `release ${r.releaseId} = ${r.snapshotId} from ${r.source}`,
    );
    Object.assign(status, {
      releaseId: release.releaseId,
      snapshotId: release.snapshotId,
      pointerSource: release.source,
    });

    const observed = await observeMount(c);
    const vol = await step(
      "volume",
      () => ensureVolume(c, release, observed),
      (v) => `${v.volume.volumeId} at ${v.volume.device.path}${v.created ? " (created)" : ""}`,
    );
    Object.assign(status, { volumeId: vol.volume.volumeId, device: vol.volume.device.path });

    const staleDevices = await devicesOf(c, vol.stale);
    await step(
      "mount",
      () =>
        ensureMount(c, {
          device: vol.volume.device,
          staleDevices,
          observed,
          beforeSwitch: () => removeContainer(c),
        }),
      (m) => `${m.action} ${m.fsType} UUID=${m.uuid}${m.fstabChanged ? ", fstab updated" : ""}`,
    );
    status.mountPath = c.config.mount.path;

    const ctr = await step(
      "container",
      () =>
        ensureContainer(c, {
          volumeId: vol.volume.volumeId,
          releaseId: release.releaseId,
          ...(release.imageDigest ? { imageDigest: release.imageDigest } : {}),
        }),
      (r) => `${r.action} ${r.name} ${r.image}`,
    );
    Object.assign(status, { image: ctr.image, container: ctr.name });

    await step(
      "readiness",
      () => waitReady(c),
      (r) => `passed after ${r.attempts} checks`,
    );

    if (vol.stale.length) {
      const cleaned = await step(
        "cleanup",
        () => releaseStaleVolumes(c, vol.stale),
        (o) => `deleted ${o.deleted.join(", ") || "nothing"}`,
      );
      for (const l of cleaned.left) status.warnings.push(`old volume ${l.volumeId} left: ${l.reason}`);
    }

    status.lifecycle = await step(
      "report",
      () => reportReady(c, release.releaseId),
      (l) => `lifecycle ${l}`,
    );
    status.state = "ready";
    delete status.step;
    await save();
    c.log.info({ [field.releaseId]: release.releaseId, [field.volumeId]: vol.volume.volumeId }, "ready");
    return status;
  } catch (err) {
    status.state = "failed";
    status.reason = messageOf(err);
    status.exitCode = exitCodeOf(err);
    // Whatever failed, the launch hook hears of it when it can be known: without an identity, from
    // what IMDS still says (early-abandon.ts).
    if (ictx) status.lifecycle = await reportFailed(ictx, status.reason);
    else {
      if (ctx.config.lifecycle.complete) status.lifecycle = await abandonWithoutIdentity(ctx, deps, err);
      await reportFailedToSystemd(ctx, status.reason);
    }
    await save();
    ctx.log.error(
      { [field.step]: status.step, err: status.reason, lifecycle: status.lifecycle },
      "boot failed",
    );
    throw err;
  } finally {
    ictx?.aws.destroy();
  }
}

async function devicesOf(
  ctx: InstanceContext,
  volumes: { volumeId: string; attachment?: { instanceId: string; device: string } }[],
): Promise<Device[]> {
  const out: Device[] = [];
  for (const v of volumes) {
    if (v.attachment?.instanceId !== ctx.identity.instanceId) continue;
    const d = await lookForDevice(ctx, v.volumeId, v.attachment.device);
    if (d) out.push(d);
  }
  return out;
}

function abandonWithoutIdentity(ctx: AgentContext, deps: BootDeps, identityError: unknown) {
  return abandonLaunch({
    imds: deps.imds,
    identityError,
    makeAws: deps.makeAws,
    log: ctx.log,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.config.lifecycle.hook ? { hook: ctx.config.lifecycle.hook } : {}),
    ...(ctx.config.region ? { region: ctx.config.region } : {}),
  });
}

async function reportFailedToSystemd(ctx: AgentContext, reason: string): Promise<void> {
  await notifySystemd(ctx, { status: `failed: ${reason}` }).catch(() => undefined);
}

function contextOf(err: unknown) {
  return err instanceof AsgReleaseError ? err.context : {};
}

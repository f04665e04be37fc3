// Step 4: the release volume mounted at the release path (read-only, nodev and nosuid by default)
// and in fstab.
// Check-then-act, as Ignition's filesystems stage: what is mounted there already is kept when it is
// ours, replaced when it is our previous release, and refused when it is anything else holding
// files. Nothing is ever formatted: a device without a filesystem is not a release.
import { mkdir, readdir } from "node:fs/promises";
import { AsgReleaseError } from "#shared/errors.js";
import { BLKID_NOTHING_FOUND, blkidArgv, parseBlkidExport } from "#shared/proc/argv/blkid.js";
import { mountArgv, umountArgv } from "#shared/proc/argv/mount.js";
import type { AgentContext } from "../context.js";
import type { Device } from "./device.js";
import { ensureFstabEntry } from "./fstab.js";
import type { MountObservation } from "./observe-mount.js";

export interface MountOutcome {
  uuid: string;
  fsType: string;
  /** What was done: nothing, a first mount, a remount with other options, or a switch from an old release. */
  action: "kept" | "mounted" | "remounted" | "switched";
  fstabChanged: boolean;
}

export interface MountInput {
  device: Device;
  /** Devices of our previous release volumes, which may be unmounted to switch. */
  staleDevices: readonly Device[];
  observed: MountObservation;
  /** Called before unmounting an old release, to stop what holds it (the container). */
  beforeSwitch: () => Promise<void>;
}

/**
 * The flags the release is mounted with, each stated either way (a remount keeps what it is not
 * told), then the extra options. nodev and nosuid by default: whoever writes the release tree
 * must not get a device node or a setuid program onto every instance.
 */
export function mountOptions(ctx: AgentContext): string[] {
  const m = ctx.config.mount;
  return [m.read_only ? "ro" : "rw", m.nodev ? "nodev" : "dev", m.nosuid ? "nosuid" : "suid", ...m.options];
}

/** Whether a mount's per-mount flags (mountinfo) are the ones configured. */
export function hasWantedFlags(ctx: AgentContext, options: readonly string[]): boolean {
  const m = ctx.config.mount;
  return (
    options.includes("ro") === m.read_only &&
    options.includes("nodev") === m.nodev &&
    options.includes("nosuid") === m.nosuid
  );
}

export async function ensureMount(ctx: AgentContext, input: MountInput): Promise<MountOutcome> {
  const path = ctx.config.mount.path;
  const fs = await probe(ctx, input.device);
  const entry = input.observed.entry;
  let action: MountOutcome["action"];
  if (entry?.majorMinor === input.device.majorMinor) {
    if (hasWantedFlags(ctx, entry.options)) {
      action = "kept";
    } else {
      await ctx.run(mountArgv(input.device.path, path, ["remount", ...mountOptions(ctx)]), {
        timeoutMs: 60_000,
      });
      action = "remounted";
    }
  } else if (entry && input.staleDevices.some((d) => d.majorMinor === entry.majorMinor)) {
    await input.beforeSwitch();
    await ctx.run(umountArgv(path), { timeoutMs: 60_000 });
    await mountFresh(ctx, input.device);
    action = "switched";
  } else if (entry && (await isEmptyDir(path))) {
    // Something is mounted there but holds nothing (a placeholder bind of an empty directory, as
    // container and test hosts give each host its own /release): mounting over it hides no data.
    ctx.log.warn({ source: entry.source, fsType: entry.fsType }, `mounting over an empty mount at ${path}`);
    await mountFresh(ctx, input.device);
    action = "mounted";
  } else if (entry) {
    throw new AsgReleaseError(
      `${path} holds ${entry.fsType} from ${entry.source}, which is not a release volume of this instance; ` +
        `refusing to mount over it (unmount it, or set mount.path to another directory)`,
      { code: "ForeignMount", context: { path, source: entry.source } },
    );
  } else {
    await mountFresh(ctx, input.device);
    action = "mounted";
  }
  const fstabChanged = ctx.config.mount.fstab
    ? await ensureFstabEntry(ctx.config.fstab_file, {
        spec: `UUID=${fs.uuid}`,
        path,
        fsType: fs.type,
        options: [...mountOptions(ctx), "nofail"],
      })
    : false;
  return { uuid: fs.uuid, fsType: fs.type, action, fstabChanged };
}

async function isEmptyDir(path: string): Promise<boolean> {
  return (await readdir(path).catch(() => ["?"])).length === 0;
}

async function mountFresh(ctx: AgentContext, device: Device): Promise<void> {
  await mkdir(ctx.config.mount.path, { recursive: true });
  // By device path, not by UUID: volumes made from snapshots of one release volume share its UUID,
  // and during a catch-up both are attached.
  await ctx.run(mountArgv(device.path, ctx.config.mount.path, mountOptions(ctx)), { timeoutMs: 60_000 });
}

async function probe(ctx: AgentContext, device: Device): Promise<{ uuid: string; type: string }> {
  const out = await ctx.run(blkidArgv(device.path), {
    timeoutMs: 30_000,
    okExitCodes: [0, BLKID_NOTHING_FOUND],
  });
  const info = parseBlkidExport(out.stdout);
  if (!info.type || !info.uuid) {
    throw new AsgReleaseError(
      `${device.path} holds no filesystem, so it is not a release volume; it is left as it is, never formatted`,
      { code: "NoFilesystem", context: { device: device.path } },
    );
  }
  return { uuid: info.uuid, type: info.type };
}

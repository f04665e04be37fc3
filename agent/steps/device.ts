// Finding the block device of an attached volume, with a deadline rather than a count of sleeps
// (docs/spec/release.md#diff-device-deadline): the NVMe by-id link first, then lsblk serials, then the Xen
// name.
import { realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { messageOf } from "#shared/errors.js";
import { majorMinor } from "#shared/fs/device-number.js";
import { poll } from "#shared/poll.js";
import { ebsByIdName, findEbsDevice, lsblkArgv, parseLsblk } from "#shared/proc/argv/lsblk.js";
import type { AgentContext } from "../context.js";

/** A device path as the kernel names it, and its `major:minor` (mountinfo's way of naming it). */
export interface Device {
  path: string;
  majorMinor: string;
}

/** One look for the device; undefined when it has not appeared yet. */
export async function lookForDevice(
  ctx: AgentContext,
  volumeId: string,
  attachmentDevice: string | undefined,
): Promise<Device | undefined> {
  const link = join(ctx.paths.byIdDir, ebsByIdName(volumeId));
  const fromLink = await realpath(link).catch(() => undefined);
  if (fromLink) return describeDevice(fromLink);
  let name: string | undefined;
  try {
    name = findEbsDevice(
      parseLsblk((await ctx.run(lsblkArgv(), { timeoutMs: 10_000 })).stdout),
      volumeId,
      attachmentDevice,
    );
  } catch (err) {
    ctx.log.debug({ err: messageOf(err) }, "lsblk failed; relying on the by-id link");
  }
  return name ? describeDevice(join(ctx.paths.devDir, name)) : undefined;
}

export async function findDevice(
  ctx: AgentContext,
  volumeId: string,
  attachmentDevice: string | undefined,
  maxWaitMs: number,
): Promise<Device> {
  return poll<Device>(
    async () => {
      const device = await lookForDevice(ctx, volumeId, attachmentDevice);
      return device
        ? { state: "SUCCESS", value: device }
        : { state: "RETRY", reason: `no block device for ${volumeId} yet` };
    },
    {
      what: `the block device of ${volumeId}`,
      maxWaitMs,
      minDelayMs: 250,
      maxDelayMs: 5000,
      clock: ctx.clock,
      signal: ctx.signal,
      context: { volumeId },
    },
  );
}

async function describeDevice(path: string): Promise<Device | undefined> {
  const st = await stat(path, { bigint: true }).catch(() => undefined);
  if (!st || !st.isBlockDevice()) return undefined;
  return { path, majorMinor: majorMinor(st.rdev) };
}

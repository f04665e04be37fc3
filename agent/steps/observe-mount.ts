// What is mounted at the release path now, and which release its tree holds (the manifest the
// release server writes last). Read before the volume step, since a mounted tree may already be current.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { mountAt, parseMountinfo, type MountEntry } from "#shared/proc/argv/mount.js";
import { MANIFEST_PATH, parseManifest } from "#shared/release/manifest.js";
import type { AgentContext } from "../context.js";

export interface MountObservation {
  /** The filesystem visible at the release path, if any. */
  entry?: MountEntry;
  /** The release the mounted tree's manifest names. */
  manifestReleaseId?: string;
  entries: MountEntry[];
}

export async function readMounts(ctx: AgentContext): Promise<MountEntry[]> {
  return parseMountinfo(await readFile(ctx.paths.mountinfo, "utf8"));
}

export async function observeMount(ctx: AgentContext): Promise<MountObservation> {
  const entries = await readMounts(ctx);
  const entry = mountAt(entries, ctx.config.mount.path);
  if (!entry) return { entries };
  const text = await readFile(join(ctx.config.mount.path, MANIFEST_PATH), "utf8").catch(() => undefined);
  const manifest = text === undefined ? undefined : parseManifest(text);
  return { entry, entries, ...(manifest ? { manifestReleaseId: manifest.releaseId } : {}) };
}

// Which volumes to delete: those the boot agent created (by tag) that sit `available` while the
// instance they were made for is gone, and those in `error` (EBS could not make them; they hold
// nothing and never recover). An available volume whose instance still lives may be between detach
// and attach, so it is left alone; untagged volumes are not ours to judge. The release server's own
// housekeeping also deletes a rollback's temporary source volume of its project that a crash left
// `available` (or in `error`): a live rollback holds it attached, or in the same queue as housekeeping.
import {
  INSTANCE_ID_TAG,
  MANAGED_BY_AGENT,
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  ROLE_ROLLBACK_SOURCE,
  ROLE_TAG,
} from "#shared/release/tags.js";

export interface ObservedVolume {
  volumeId: string;
  state: string;
  tags: Readonly<Record<string, string>>;
}

export interface DeleteVolume {
  kind: "delete-volume";
  volumeId: string;
  /** The instance an agent's volume was made for; none for a rollback source. */
  instanceId?: string;
}

/** `liveInstanceIds`: instances in any state but terminated (pending, running, stopping, stopped, shutting-down). */
export function planSweep(
  volumes: readonly ObservedVolume[],
  liveInstanceIds: ReadonlySet<string>,
): DeleteVolume[] {
  const actions: DeleteVolume[] = [];
  for (const v of volumes) {
    const instanceId = v.tags[INSTANCE_ID_TAG];
    if (v.tags[MANAGED_BY_TAG] !== MANAGED_BY_AGENT || !instanceId) continue;
    if (v.state === "error") {
      actions.push({ kind: "delete-volume", volumeId: v.volumeId, instanceId });
      continue;
    }
    if (v.state !== "available" || liveInstanceIds.has(instanceId)) continue;
    actions.push({ kind: "delete-volume", volumeId: v.volumeId, instanceId });
  }
  return actions;
}

/** Rollback source volumes of `project` left behind: detached (`available`) or failed (`error`). */
export function planRollbackSourceSweep(volumes: readonly ObservedVolume[], project: string): DeleteVolume[] {
  return volumes
    .filter(
      (v) =>
        v.tags[ROLE_TAG] === ROLE_ROLLBACK_SOURCE &&
        v.tags[MANAGED_BY_TAG] === MANAGED_BY_SERVER &&
        v.tags[PROJECT_TAG] === project &&
        (v.state === "available" || v.state === "error"),
    )
    .map((v) => ({ kind: "delete-volume" as const, volumeId: v.volumeId }));
}

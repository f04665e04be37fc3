// `asg-release-server init` as plans: what to do about the release volume (create, adopt, attach)
// and about its filesystem (format only when blank, mount, persist), from what is observed. A
// foreign filesystem or a volume somewhere else is an error, never something to fix by force.
import type { BlkidInfo } from "#shared/proc/argv/blkid.js";

export interface ObservedVolume {
  volumeId: string;
  state: string;
  availabilityZone: string;
  attachedTo?: string;
}

export type VolumeAction =
  | { kind: "create-volume"; availabilityZone: string; sizeGiB: number }
  | { kind: "wait-available"; volumeId?: string }
  | { kind: "attach-volume"; volumeId?: string; device: string };

export type Plan<A> = { ok: true; actions: A[]; volumeId?: string } | { ok: false; problem: string };

export function planVolume(
  volumes: readonly ObservedVolume[],
  me: { instanceId: string; availabilityZone: string },
  want: { sizeGiB: number; device: string },
): Plan<VolumeAction> {
  const live = volumes.filter((v) => v.state !== "deleting" && v.state !== "deleted" && v.state !== "error");
  const mine = live.filter((v) => v.attachedTo === me.instanceId);
  if (mine.length === 1) return { ok: true, actions: [], volumeId: mine[0]?.volumeId };
  if (live.length > 1) {
    return {
      ok: false,
      problem: `${live.length} release volumes exist (${live.map((v) => v.volumeId).join(", ")}); keep one`,
    };
  }
  const [v] = live;
  if (!v) {
    return {
      ok: true,
      actions: [
        { kind: "create-volume", availabilityZone: me.availabilityZone, sizeGiB: want.sizeGiB },
        { kind: "wait-available" },
        { kind: "attach-volume", device: want.device },
      ],
    };
  }
  if (v.attachedTo) {
    return {
      ok: false,
      problem: `release volume ${v.volumeId} is attached to ${v.attachedTo}; detach it there first`,
    };
  }
  if (v.availabilityZone !== me.availabilityZone) {
    return {
      ok: false,
      problem:
        `release volume ${v.volumeId} is in ${v.availabilityZone} and this host in ${me.availabilityZone}: ` +
        `an EBS volume attaches only in its own zone; run init on a host there, or snapshot it and create it here`,
    };
  }
  const wait: VolumeAction[] =
    v.state === "available" ? [] : [{ kind: "wait-available", volumeId: v.volumeId }];
  return {
    ok: true,
    volumeId: v.volumeId,
    actions: [...wait, { kind: "attach-volume", volumeId: v.volumeId, device: want.device }],
  };
}

export interface ObservedFilesystem {
  device: string;
  /** undefined: blkid found no filesystem (a blank volume). */
  blkid: BlkidInfo | undefined;
  /** major:minor of the device, and of what is mounted at the path (if anything). */
  deviceMajorMinor: string;
  mountedMajorMinor?: string;
  /** major:minor of the root filesystem: a bind mount of one of its directories hides nothing of ours. */
  rootMajorMinor?: string;
}

export type FsAction =
  | { kind: "mkfs"; device: string; label: string }
  | { kind: "mount"; device: string; path: string }
  | { kind: "fstab"; device: string; path: string };

export function planFilesystem(o: ObservedFilesystem, want: { label: string; path: string }): Plan<FsAction> {
  const actions: FsAction[] = [];
  if (!o.blkid) {
    actions.push({ kind: "mkfs", device: o.device, label: want.label });
  } else if (!["ext4", "ext3"].includes(o.blkid.type ?? "") || o.blkid.label !== want.label) {
    // Ignition's rule: a filesystem that is not the expected one is an error, never wiped.
    return {
      ok: false,
      problem:
        `${o.device} holds a ${o.blkid.type ?? "unknown"} filesystem labelled "${o.blkid.label ?? ""}", ` +
        `not an ext4 "${want.label}": refusing to format it; attach a blank volume or relabel it (e2label)`,
    };
  }
  const mounted = o.mountedMajorMinor === o.rootMajorMinor ? undefined : o.mountedMajorMinor;
  if (mounted === undefined) actions.push({ kind: "mount", device: o.device, path: want.path });
  else if (mounted !== o.deviceMajorMinor) {
    return { ok: false, problem: `another filesystem is mounted at ${want.path}; unmount it first` };
  }
  actions.push({ kind: "fstab", device: o.device, path: want.path });
  return { ok: true, actions };
}

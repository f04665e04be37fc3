// Which of the volumes made for this instance is the one to use, and which are left over: a pure
// decision over what DescribeVolumes showed, so that a re-run after a crash at any point picks the
// volume the first run made instead of making another.

export interface VolumeView {
  volumeId: string;
  /** creating | available | in-use | deleting | deleted | error */
  state: string;
  releaseId?: string;
  createTime?: number;
  attachment?: { instanceId: string; device: string; state: string; deleteOnTermination: boolean };
}

export interface VolumeWant {
  instanceId: string;
  releaseId: string;
  /** The volume mounted now, when its tree already holds the wanted release (pushed there by rsync). */
  keepVolumeId?: string;
}

export interface VolumePlan {
  /** Undefined: none fits, make one. */
  target?: VolumeView;
  /** Ours but not needed: detach and delete once the target serves. */
  stale: VolumeView[];
  /** Tagged for us yet attached elsewhere: never touched, only reported. */
  foreign: VolumeView[];
}

const GONE = new Set(["deleting", "deleted"]);

/** Lower is better: attached here, then ready to attach, then still being made. */
function rank(v: VolumeView, instanceId: string): number {
  if (v.attachment?.instanceId === instanceId) return 0;
  if (v.state === "available") return 1;
  if (v.state === "creating") return 2;
  return 9;
}

export function planVolumes(volumes: readonly VolumeView[], want: VolumeWant): VolumePlan {
  const live = volumes.filter((v) => !GONE.has(v.state));
  const foreign = live.filter((v) => v.attachment && v.attachment.instanceId !== want.instanceId);
  const ours = live.filter((v) => !foreign.includes(v));
  const kept = ours.find((v) => v.volumeId === want.keepVolumeId);
  const candidates = ours
    .filter((v) => v.releaseId === want.releaseId && v.state !== "error")
    .sort(
      (a, b) =>
        rank(a, want.instanceId) - rank(b, want.instanceId) ||
        (a.createTime ?? 0) - (b.createTime ?? 0) ||
        a.volumeId.localeCompare(b.volumeId),
    );
  const target = kept ?? candidates[0];
  return { target, stale: ours.filter((v) => v !== target), foreign };
}

/** Attachment names the agent may use, in order (EC2 recommends /dev/sd[f-p] for EBS data volumes). */
export const DEVICE_NAMES = "fghijklmnop".split("").map((c) => `/dev/sd${c}`);

/** The first name not taken; `sdf` and `xvdf` are the same slot. */
export function freeDeviceName(taken: readonly string[]): string | undefined {
  const slot = (name: string) => name.replace(/^\/dev\//, "").replace(/^(xv|s)d/, "");
  const used = new Set(taken.map(slot));
  return DEVICE_NAMES.find((n) => !used.has(slot(n)));
}

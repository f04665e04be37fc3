// Plans a project's teardown from what was observed in the account: every detached volume and
// release snapshot the project's release path made, and the release pointer object, are deleted.
// A volume still attached to an instance is left alone and said so; a release volume still attached
// to a live instance refuses the whole teardown, since its release host still runs. Pure: no I/O.

/** Who made a volume, read from its tags (shared/release/tags.ts). */
export type VolumeRole = "release-volume" | "rollback-source" | "server" | "agent";

export interface ObservedVolume {
  id: string;
  sizeGiB: number;
  /** EC2's state: creating, available, in-use, deleting, deleted, error. */
  state: string;
  role: VolumeRole;
  /** The instance it is attached to, if any, and that instance's state when known. */
  attachedTo?: string;
  instanceState?: string;
}

export interface ObservedSnapshot {
  id: string;
  sizeGiB: number;
  releaseId?: string;
}

export interface ObservedPointer {
  bucket: string;
  key: string;
  exists: boolean;
}

export interface TeardownObservation {
  project: string;
  region: string;
  volumes: ObservedVolume[];
  snapshots: ObservedSnapshot[];
  pointer?: ObservedPointer;
}

export type TeardownKind = "volume" | "snapshot" | "object";

export interface TeardownItem {
  kind: TeardownKind;
  /** Volume or snapshot id, or `s3://bucket/key`. */
  id: string;
  sizeGiB?: number;
  /** What it is, for the operator: "release volume (available)", "release r3". */
  what: string;
}

export interface TeardownPlan {
  project: string;
  region: string;
  /** Set when nothing may be deleted; the reason says what to do first. */
  refused?: string;
  delete: TeardownItem[];
  left: (TeardownItem & { reason: string })[];
}

const ROLE_NAMES: Record<VolumeRole, string> = {
  "release-volume": "release volume",
  "rollback-source": "rollback source",
  server: "release server volume",
  agent: "agent volume",
};

/** Instance states in which an attachment is gone or going by itself. */
const GONE = new Set(["terminated", "shutting-down"]);
/** Volume states that can be deleted. */
const DELETABLE = new Set(["available", "error"]);

export function planTeardown(o: TeardownObservation): TeardownPlan {
  const plan: TeardownPlan = { project: o.project, region: o.region, delete: [], left: [] };
  const hosts = o.volumes.filter(
    (v) => v.role === "release-volume" && v.attachedTo && !GONE.has(v.instanceState ?? ""),
  );
  if (hosts.length > 0) {
    const where = hosts.map((v) => `${v.id} on ${v.attachedTo}`).join(", ");
    plan.refused =
      `the release volume is still attached to a running instance (${where}): ` +
      "terminate the release host first, or detach the volume";
  }
  const byId = <T extends { id: string }>(a: T, b: T) => a.id.localeCompare(b.id);
  for (const v of [...o.volumes].sort(byId)) {
    const item: TeardownItem = {
      kind: "volume",
      id: v.id,
      sizeGiB: v.sizeGiB,
      what: `${ROLE_NAMES[v.role]} (${v.state})`,
    };
    if (v.attachedTo) plan.left.push({ ...item, reason: `attached to ${v.attachedTo}` });
    else if (DELETABLE.has(v.state)) plan.delete.push(item);
    else if (v.state !== "deleting" && v.state !== "deleted")
      plan.left.push({ ...item, reason: `${v.state}: run teardown again once it settles` });
  }
  for (const s of [...o.snapshots].sort(byId))
    plan.delete.push({
      kind: "snapshot",
      id: s.id,
      sizeGiB: s.sizeGiB,
      what: s.releaseId ? `release ${s.releaseId}` : "release snapshot",
    });
  if (o.pointer?.exists)
    plan.delete.push({
      kind: "object",
      id: `s3://${o.pointer.bucket}/${o.pointer.key}`,
      what: "release pointer",
    });
  return plan;
}

/** The plan as the lines an operator reads before confirming. */
export function formatPlan(plan: TeardownPlan): string[] {
  const row = (action: string, i: TeardownItem, note: string) =>
    `  ${action.padEnd(6)}  ${i.kind.padEnd(8)}  ${i.id.padEnd(22)}  ${
      i.sizeGiB === undefined ? "".padStart(6) : `${i.sizeGiB} GiB`.padStart(6)
    }  ${note}`;
  const lines = [`Teardown of project ${plan.project} in ${plan.region}:`];
  for (const i of plan.delete) lines.push(row("delete", i, i.what));
  for (const i of plan.left) lines.push(row("left", i, `${i.what}: ${i.reason}`));
  if (plan.delete.length === 0 && plan.left.length === 0) lines.push("  nothing to remove");
  return lines;
}

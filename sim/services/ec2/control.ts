// EC2's control routes under /_sim/ec2/: the host kind for new launches, an instance's console
// output, and snapshot fixtures for the agent's refusal tests (one owned by another account, one
// held in a given state), and a volume EBS failed to make (held in `error`).
import { SimError } from "../../api/errors.js";
import { newId } from "../../state/ids.js";
import type { RegionState } from "../../state/store.js";
import type { Snapshot, VolumeState } from "../../state/types.js";
import type { Ec2Context } from "./context.js";
import { copyImage, snapshotImagePath } from "./ebs/files.js";

/** Owner of snapshots made by the foreign-snapshot route unless the request names one. */
export const FOREIGN_ACCOUNT_ID = "210987654321";

interface ForeignSnapshotRequest {
  region?: string;
  ownerId?: string;
  volumeSize?: number;
  description?: string;
  tags?: Record<string, string>;
  state?: Snapshot["state"];
  /** Who may use it: "self" (shared with this account, the default), "all" (public) or "none". */
  sharedWith?: "self" | "all" | "none";
  /** Copy the blocks of one of this account's snapshots, so volumes made from it have content. */
  copyOf?: string;
}

export function addEc2ControlRoutes(ec2: Ec2Context): void {
  const { sim } = ec2;
  const regionOf = (name: unknown): RegionState => {
    const region = sim.state.region(
      typeof name === "string" ? name : (sim.state.regions.keys().next().value ?? ""),
    );
    if (!region) throw new SimError("InvalidParameterValue", `unknown region ${String(name)}`);
    return region;
  };

  sim.control.add("PUT", "/_sim/ec2/host-kind", (body) => {
    const kind = (body as { hostKind?: string }).hostKind;
    if (kind !== "full" && kind !== "light")
      throw new SimError("InvalidParameterValue", "hostKind must be full or light");
    ec2.defaultHostKind = kind;
    return { hostKind: kind };
  });

  sim.control.add("GET", "/_sim/ec2/console-output", async (_body, query) => {
    const instanceId = query.get("instanceId") ?? "";
    return { instanceId, output: (await ec2.hosts.consoleOutput(instanceId)) ?? "" };
  });

  sim.control.add("POST", "/_sim/ec2/foreign-snapshot", async (body) => {
    const req = body as ForeignSnapshotRequest;
    const region = regionOf(req.region);
    const snapshotId = newId("snap");
    const source = req.copyOf ? region.snapshots.get(req.copyOf) : undefined;
    if (req.copyOf && !source)
      throw new SimError("InvalidSnapshot.NotFound", `The snapshot '${req.copyOf}' does not exist.`);
    const shared = req.sharedWith ?? "self";
    const snapshot: Snapshot = {
      snapshotId,
      volumeId: "vol-ffffffff",
      volumeSize: req.volumeSize ?? source?.volumeSize ?? 1,
      state: req.state ?? "completed",
      progress: (req.state ?? "completed") === "completed" ? "100%" : "0%",
      startTime: ec2.now(),
      ownerId: req.ownerId ?? FOREIGN_ACCOUNT_ID,
      description: req.description ?? "",
      encrypted: false,
      tags: req.tags ?? {},
      sharedWith: shared === "none" ? [] : shared === "all" ? ["all"] : [ec2.accountId],
    };
    if (source?.imagePath) {
      snapshot.imagePath = snapshotImagePath(sim.options.stateDir, snapshotId);
      await copyImage(source.imagePath, snapshot.imagePath);
    }
    region.snapshots.set(snapshotId, snapshot);
    return { snapshotId, ownerId: snapshot.ownerId };
  });

  // Holds a snapshot in a state (e.g. `pending` forever, or `error`): its completion is cancelled.
  sim.control.add("POST", "/_sim/ec2/snapshot-state", (body) => {
    const req = body as {
      region?: string;
      snapshotId?: string;
      state?: Snapshot["state"];
      progress?: string;
    };
    const region = regionOf(req.region);
    const snapshot = region.snapshots.get(req.snapshotId ?? "");
    if (!snapshot)
      throw new SimError(
        "InvalidSnapshot.NotFound",
        `The snapshot '${String(req.snapshotId)}' does not exist.`,
      );
    if (req.state !== "pending" && req.state !== "completed" && req.state !== "error")
      throw new SimError("InvalidParameterValue", "state must be pending, completed or error");
    ec2.cancel(snapshot.snapshotId);
    ec2.cancel(`progress ${snapshot.snapshotId}`);
    snapshot.state = req.state;
    snapshot.progress = req.progress ?? (req.state === "completed" ? "100%" : snapshot.progress);
    return { snapshotId: snapshot.snapshotId, state: snapshot.state, progress: snapshot.progress };
  });

  sim.control.add("POST", "/_sim/ec2/volume-state", (body) => {
    const req = body as { region?: string; volumeId?: string; state?: VolumeState };
    const volume = regionOf(req.region).volumes.get(req.volumeId ?? "");
    if (!volume)
      throw new SimError("InvalidVolume.NotFound", `The volume '${String(req.volumeId)}' does not exist.`);
    // Only the states a detached volume can be held in: attachments are the attach ops' business.
    if (volume.attachments.length > 0 || (req.state !== "available" && req.state !== "error"))
      throw new SimError("InvalidParameterValue", "state must be available or error, for a detached volume");
    ec2.cancel(volume.volumeId);
    volume.state = req.state;
    return { volumeId: volume.volumeId, state: volume.state };
  });
}

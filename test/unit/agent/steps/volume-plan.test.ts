import { describe, expect, it } from "vitest";
import { freeDeviceName, planVolumes, type VolumeView } from "../../../../agent/steps/volume-plan.js";

const ME = "i-0000000000000000a";
const attachedHere = (device = "/dev/sdf") => ({
  instanceId: ME,
  device,
  state: "attached",
  deleteOnTermination: true,
});
const vol = (id: string, state: string, releaseId: string, extra: Partial<VolumeView> = {}): VolumeView => ({
  volumeId: id,
  state,
  releaseId,
  ...extra,
});
const ids = (vs: VolumeView[]) => vs.map((v) => v.volumeId);

describe("planVolumes", () => {
  it("makes a volume when there is none", () => {
    expect(planVolumes([], { instanceId: ME, releaseId: "r2" })).toEqual({
      target: undefined,
      stale: [],
      foreign: [],
    });
  });

  it("reuses the volume a killed run created, whatever its state", () => {
    for (const state of ["creating", "available", "in-use"]) {
      const v = vol("vol-1", state, "r2");
      expect(planVolumes([v], { instanceId: ME, releaseId: "r2" }).target).toBe(v);
    }
  });

  it("prefers the one attached here, then available, then creating, then the oldest", () => {
    const plan = planVolumes(
      [
        vol("vol-c", "creating", "r2"),
        vol("vol-a", "available", "r2", { createTime: 2 }),
        vol("vol-b", "available", "r2", { createTime: 1 }),
        vol("vol-h", "in-use", "r2", { attachment: attachedHere() }),
      ],
      { instanceId: ME, releaseId: "r2" },
    );
    expect(plan.target?.volumeId).toBe("vol-h");
    expect(ids(plan.stale)).toEqual(["vol-c", "vol-a", "vol-b"]);
  });

  it("marks the previous release's volume stale for a catch-up", () => {
    const plan = planVolumes([vol("vol-old", "in-use", "r1", { attachment: attachedHere() })], {
      instanceId: ME,
      releaseId: "r2",
    });
    expect(plan.target).toBeUndefined();
    expect(ids(plan.stale)).toEqual(["vol-old"]);
  });

  it("keeps a mounted volume whose tree rsync already brought to the current release", () => {
    const plan = planVolumes([vol("vol-old", "in-use", "r1", { attachment: attachedHere() })], {
      instanceId: ME,
      releaseId: "r2",
      keepVolumeId: "vol-old",
    });
    expect(plan.target?.volumeId).toBe("vol-old");
    expect(plan.stale).toEqual([]);
  });

  it("ignores volumes being deleted and never targets one in error", () => {
    const plan = planVolumes([vol("vol-d", "deleting", "r2"), vol("vol-e", "error", "r2")], {
      instanceId: ME,
      releaseId: "r2",
    });
    expect(plan.target).toBeUndefined();
    expect(ids(plan.stale)).toEqual(["vol-e"]);
  });

  it("leaves alone a volume tagged for us but attached elsewhere", () => {
    const elsewhere = vol("vol-x", "in-use", "r2", {
      attachment: { instanceId: "i-other", device: "/dev/sdf", state: "attached", deleteOnTermination: true },
    });
    expect(planVolumes([elsewhere], { instanceId: ME, releaseId: "r2" })).toEqual({
      target: undefined,
      stale: [],
      foreign: [elsewhere],
    });
  });
});

describe("freeDeviceName", () => {
  it.each([
    [[], "/dev/sdf"],
    [["/dev/xvda", "/dev/sdf"], "/dev/sdg"],
    [["/dev/xvdf", "/dev/sdg"], "/dev/sdh"],
    ["fghijklmnop".split("").map((c) => `/dev/sd${c}`), undefined],
  ])("taken %j -> %s", (taken, want) => expect(freeDeviceName(taken)).toBe(want));
});

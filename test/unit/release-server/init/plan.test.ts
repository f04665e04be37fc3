import { describe, expect, it } from "vitest";
import { planFilesystem, planVolume, type ObservedVolume } from "../../../../release-server/init/plan.js";

const me = { instanceId: "i-me", availabilityZone: "us-east-1a" };
const want = { sizeGiB: 8, device: "/dev/sdk" };
const vol = (extra: Partial<ObservedVolume>): ObservedVolume => ({
  volumeId: "vol-1",
  state: "available",
  availabilityZone: "us-east-1a",
  ...extra,
});

describe("planVolume", () => {
  it("creates, waits for and attaches a volume when there is none", () => {
    expect(planVolume([], me, want)).toEqual({
      ok: true,
      actions: [
        { kind: "create-volume", availabilityZone: "us-east-1a", sizeGiB: 8 },
        { kind: "wait-available" },
        { kind: "attach-volume", device: "/dev/sdk" },
      ],
    });
  });
  it("adopts the volume attached to this host: nothing to do", () => {
    expect(planVolume([vol({ state: "in-use", attachedTo: "i-me" })], me, want)).toEqual({
      ok: true,
      actions: [],
      volumeId: "vol-1",
    });
  });
  it("attaches an available volume in this zone", () => {
    expect(planVolume([vol({})], me, want)).toEqual({
      ok: true,
      volumeId: "vol-1",
      actions: [{ kind: "attach-volume", volumeId: "vol-1", device: "/dev/sdk" }],
    });
  });
  it("waits for a volume still being created", () => {
    const plan = planVolume([vol({ state: "creating" })], me, want);
    expect(plan.ok && plan.actions[0]).toEqual({ kind: "wait-available", volumeId: "vol-1" });
  });
  it.each([
    {
      rule: "refuses a volume attached to another instance",
      volumes: [vol({ state: "in-use", attachedTo: "i-other" })],
      problem: "release volume vol-1 is attached to i-other; detach it there first",
    },
    {
      rule: "refuses a volume in another zone, saying why",
      volumes: [vol({ availabilityZone: "us-east-1b" })],
      problem:
        "release volume vol-1 is in us-east-1b and this host in us-east-1a: an EBS volume attaches only in its own zone; run init on a host there, or snapshot it and create it here",
    },
    {
      rule: "refuses to choose between two volumes",
      volumes: [vol({}), vol({ volumeId: "vol-2" })],
      problem: "2 release volumes exist (vol-1, vol-2); keep one",
    },
  ])("$rule", ({ volumes, problem }) => {
    expect(planVolume(volumes, me, want)).toEqual({ ok: false, problem });
  });
});

describe("planFilesystem", () => {
  const base = { device: "/dev/nvme1n1", deviceMajorMinor: "259:1" };
  const target = { label: "code_release", path: "/release" };
  it("formats a blank volume, mounts it and persists the mount", () => {
    expect(planFilesystem({ ...base, blkid: undefined }, target)).toEqual({
      ok: true,
      actions: [
        { kind: "mkfs", device: "/dev/nvme1n1", label: "code_release" },
        { kind: "mount", device: "/dev/nvme1n1", path: "/release" },
        { kind: "fstab", device: "/dev/nvme1n1", path: "/release" },
      ],
    });
  });
  it("never formats a volume with its filesystem; a mounted one only gets its fstab line checked", () => {
    expect(
      planFilesystem(
        { ...base, blkid: { type: "ext4", label: "code_release" }, mountedMajorMinor: "259:1" },
        target,
      ),
    ).toEqual({ ok: true, actions: [{ kind: "fstab", device: "/dev/nvme1n1", path: "/release" }] });
  });
  it("adopts the release model's ext3 release volume", () => {
    const plan = planFilesystem({ ...base, blkid: { type: "ext3", label: "code_release" } }, target);
    expect(plan.ok).toBe(true);
  });
  it.each([
    { rule: "refuses a foreign filesystem type", blkid: { type: "xfs", label: "code_release" } },
    { rule: "refuses an ext4 filesystem with another label", blkid: { type: "ext4", label: "data" } },
  ])("$rule", ({ blkid }) => {
    const plan = planFilesystem({ ...base, blkid }, target);
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.problem).toContain("refusing to format it");
  });
  it("mounts over a directory of the root filesystem bound at the path", () => {
    const plan = planFilesystem(
      { ...base, blkid: undefined, mountedMajorMinor: "254:0", rootMajorMinor: "254:0" },
      target,
    );
    expect(plan.ok && plan.actions.map((a) => a.kind)).toEqual(["mkfs", "mount", "fstab"]);
  });
  it("refuses when another filesystem is mounted at the path", () => {
    expect(
      planFilesystem(
        { ...base, blkid: { type: "ext4", label: "code_release" }, mountedMajorMinor: "8:1" },
        target,
      ),
    ).toEqual({ ok: false, problem: "another filesystem is mounted at /release; unmount it first" });
  });
});

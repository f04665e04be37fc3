// docs/spec/release.md#boot: each step of the release model's boot script, and what the agent does instead
// where the script was unsafe.
import type { Snapshot } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { upsertFstab } from "../../../agent/steps/fstab.js";
import { parsePointerText } from "../../../agent/steps/pointer.js";
import { checkSnapshot } from "../../../agent/steps/snapshot.js";
import { planVolumes } from "../../../agent/steps/volume-plan.js";
import { PROJECT_TAG, RELEASE_ID_TAG } from "#shared/release/tags.js";

const ME = "i-0000000000000000a";
const SNAP = "snap-0123456789abcdef0";
const release: Snapshot = {
  SnapshotId: SNAP,
  OwnerId: "123456789012",
  State: "completed",
  VolumeSize: 40,
  Tags: [
    { Key: PROJECT_TAG, Value: "shop" },
    { Key: RELEASE_ID_TAG, Value: "r7" },
  ],
};
const expectations = { owner: "123456789012", project: "shop" };
const claim = { snapshotId: SNAP, source: "http://127.0.0.1/snap.txt" };

describe("the boot steps of docs/spec/release.md#boot", () => {
  it('"Query http://releasesrvr/snap.txt for the latest snapshot id": the plain id the article\'s server writes', () => {
    expect(parsePointerText(`${SNAP}\n`, claim.source)).toEqual(claim);
  });

  it('"VOL=`curl http://releasesrvr/snap.txt`" trusted any answer: an error page is refused, not passed to CreateVolume', () => {
    expect(() => parsePointerText("<html>502 Bad Gateway</html>", claim.source)).toThrow(
      'expected a snapshot id like "snap-0123456789abcdef0"',
    );
  });

  it("the id is verified before a volume is made from it: another account's snapshot, or one that is not a release, is never mounted", () => {
    expect(checkSnapshot(release, claim, expectations)).toMatchObject({ releaseId: "r7", snapshotId: SNAP });
    expect(() => checkSnapshot({ ...release, OwnerId: "999999999999" }, claim, expectations)).toThrow(
      `snapshot ${SNAP} is not a usable release: owned by account 999999999999, expected 123456789012; it will not be mounted`,
    );
    expect(() => checkSnapshot({ ...release, Tags: [] }, claim, expectations)).toThrow(
      /it will not be mounted$/,
    );
  });

  it('"Create a new EBS volume based upon this snapshot": with no volume for this instance and release, one is made', () => {
    expect(planVolumes([], { instanceId: ME, releaseId: "r7" })).toEqual({
      target: undefined,
      stale: [],
      foreign: [],
    });
  });

  it('"If /release is not already configured": a volume of this release already attached here is kept, none is made', () => {
    const attached = {
      volumeId: "vol-1",
      state: "in-use",
      releaseId: "r7",
      attachment: { instanceId: ME, device: "/dev/sdf", state: "attached", deleteOnTermination: true },
    };
    expect(planVolumes([attached], { instanceId: ME, releaseId: "r7" }).target).toBe(attached);
  });

  it('"Mount the new volume at /release": the article\'s "LABEL=code_release /release ext3 defaults 0 0" line is replaced by one naming this volume', () => {
    // Every volume made from the release snapshot carries the label code_release, so a LABEL line
    // cannot tell the new volume from an old one; the agent writes the filesystem UUID and nofail.
    const entry = { spec: "UUID=abc", path: "/release", fsType: "ext3", options: ["ro", "nofail"] };
    expect(upsertFstab("LABEL=code_release /release ext3 defaults 0 0\n", entry)).toBe(
      "UUID=abc /release ext3 ro,nofail 0 0\n",
    );
  });
});

import type { Snapshot } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { checkSnapshot } from "../../../../agent/steps/snapshot.js";
import { PROJECT_TAG, RELEASE_ID_TAG, TREE_HASH_TAG } from "#shared/release/tags.js";

const ID = "snap-0123456789abcdef0";
const HASH = "a".repeat(64);
const good: Snapshot = {
  SnapshotId: ID,
  OwnerId: "123456789012",
  State: "completed",
  VolumeSize: 8,
  Encrypted: false,
  Tags: [
    { Key: PROJECT_TAG, Value: "shop" },
    { Key: RELEASE_ID_TAG, Value: "r7" },
    { Key: TREE_HASH_TAG, Value: HASH },
  ],
};
const expectations = { owner: "123456789012", project: "shop" };
const claim = { snapshotId: ID, source: "http://127.0.0.1:8080/snap.txt" };
const rejected = (why: string) => `snapshot ${ID} is not a usable release: ${why}; it will not be mounted`;

describe("checkSnapshot", () => {
  it("accepts a completed release snapshot of the expected owner and takes the release id from its tag", () => {
    expect(checkSnapshot(good, claim, expectations)).toEqual({
      releaseId: "r7",
      snapshotId: ID,
      treeHash: HASH,
      sizeGiB: 8,
      encrypted: false,
      source: claim.source,
    });
  });

  const cases: [string, Snapshot, Partial<typeof claim & { releaseId: string; treeHash: string }>, string][] =
    [
      [
        "another account's snapshot",
        { ...good, OwnerId: "999999999999" },
        {},
        "owned by account 999999999999, expected 123456789012",
      ],
      [
        "a snapshot that is not a release",
        { ...good, Tags: [] },
        {},
        `it has no ${PROJECT_TAG} tag, so it is not a release`,
      ],
      [
        "another project's release",
        {
          ...good,
          Tags: [
            { Key: PROJECT_TAG, Value: "other" },
            { Key: RELEASE_ID_TAG, Value: "r7" },
          ],
        },
        {},
        `${PROJECT_TAG} is "other", expected "shop"`,
      ],
      [
        "a project snapshot without a release id",
        { ...good, Tags: [{ Key: PROJECT_TAG, Value: "shop" }] },
        {},
        `it has no ${RELEASE_ID_TAG} tag, so it is not a release`,
      ],
      ["a pending snapshot", { ...good, State: "pending" }, {}, "its state is pending, expected completed"],
      [
        "a pointer naming another release",
        good,
        { releaseId: "r8" },
        "the pointer says release r8, the snapshot is tagged r7",
      ],
      [
        "a pointer with another tree hash",
        good,
        { treeHash: "b".repeat(64) },
        `the pointer's tree hash ${"b".repeat(64)} differs from the snapshot's ${HASH}`,
      ],
    ];
  it.each(cases)("refuses %s", (_name, snapshot, extra, why) => {
    expect(() => checkSnapshot(snapshot, { ...claim, ...extra }, expectations)).toThrow(rejected(why));
  });
});

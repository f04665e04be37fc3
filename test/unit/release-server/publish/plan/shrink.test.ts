import { describe, expect, it } from "vitest";
import { planShrink } from "../../../../../release-server/publish/plan/shrink.js";

const before = { files: 1000, bytes: 4_000_000 };
const plan = (
  after: { files: number; bytes: number },
  o: { allow?: boolean; max?: number; none?: boolean } = {},
) =>
  planShrink({
    before: o.none ? undefined : before,
    after,
    maxShrinkPercent: o.max ?? 50,
    allowShrink: o.allow ?? false,
  });

describe("planShrink", () => {
  it("lets a tree of about the same size through", () => {
    expect(plan({ files: 990, bytes: 3_900_000 })).toEqual({ ok: true });
    expect(plan({ files: 2000, bytes: 9_000_000 })).toEqual({ ok: true });
  });

  it("refuses an empty tree, with the numbers", () => {
    expect(plan({ files: 0, bytes: 0 })).toEqual({
      ok: false,
      problem: "the tree to publish is empty: files 1000 -> 0, bytes 4000000 -> 0",
    });
  });

  it("refuses an empty tree as the first release too", () => {
    expect(plan({ files: 0, bytes: 0 }, { none: true })).toEqual({
      ok: false,
      problem: "the tree to publish is empty: files none -> 0, bytes none -> 0",
    });
  });

  it("lets any first release through that holds files", () => {
    expect(plan({ files: 1, bytes: 0 }, { none: true })).toEqual({ ok: true });
  });

  it("refuses removing more than the share of files, or of bytes, naming which", () => {
    expect(plan({ files: 400, bytes: 3_000_000 })).toEqual({
      ok: false,
      problem:
        "it would remove 60% of the files of the current release, more than release.max_shrink_percent (50%): " +
        "files 1000 -> 400, bytes 4000000 -> 3000000",
    });
    expect(plan({ files: 900, bytes: 1_000_000 })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^it would remove 75% of the bytes of the current release, /),
    });
    expect(plan({ files: 100, bytes: 100 })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^it would remove 90% of the files and 100% of the bytes /),
    });
  });

  it("takes exactly the share as allowed, and the share from the setting", () => {
    expect(plan({ files: 500, bytes: 2_000_000 })).toEqual({ ok: true });
    expect(plan({ files: 500, bytes: 2_000_000 }, { max: 49 })).toMatchObject({ ok: false });
    expect(plan({ files: 1, bytes: 1 }, { max: 100 })).toEqual({ ok: true });
  });

  it("lets it through when the operator allows it, saying what was overridden", () => {
    expect(plan({ files: 0, bytes: 0 }, { allow: true })).toEqual({
      ok: true,
      overridden: "the tree to publish is empty: files 1000 -> 0, bytes 4000000 -> 0",
    });
  });

  it("judges bytes alone when the current release had no files' bytes", () => {
    expect(
      planShrink({
        before: { files: 10, bytes: 0 },
        after: { files: 10, bytes: 0 },
        maxShrinkPercent: 50,
        allowShrink: false,
      }),
    ).toEqual({ ok: true });
  });
});

import { describe, expect, it } from "vitest";
import { AsgReleaseError } from "#shared/errors.js";
import { need } from "#shared/need.js";

describe("need", () => {
  it("returns a present value, including falsy ones", () => {
    expect(need("vol-1", "the volume id")).toBe("vol-1");
    expect(need(0, "a count")).toBe(0);
    expect(need("", "a name")).toBe("");
  });

  it("throws a typed error naming what is missing", () => {
    let caught: unknown;
    try {
      need(undefined, "the publish journal's snapshotId");
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AsgReleaseError);
    expect(caught).toMatchObject({
      message: "the publish journal's snapshotId is missing",
      code: "MissingValue",
      exitCode: 1,
      context: { what: "the publish journal's snapshotId" },
    });
  });
});

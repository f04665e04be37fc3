import { describe, expect, it } from "vitest";
import { publishPath } from "../../../cli/publish-run.js";

describe("publishPath", () => {
  it("passes the operator's options to POST /v1/publish", () => {
    expect(publishPath({})).toBe("/v1/publish");
    expect(publishPath({ allowShrink: true })).toBe("/v1/publish?allow_shrink=1");
    expect(publishPath({ rollbackTo: "20260102-030405-3fa4c2d1" })).toBe(
      "/v1/publish?rollback_to=20260102-030405-3fa4c2d1",
    );
  });
});

import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance } from "#shared/config/did-you-mean.js";

describe("did you mean", () => {
  it("counts a transposition as one edit", () => {
    expect(editDistance("vcp", "vpc")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
  it.each([
    ["vcp", "vpc"],
    ["tpye", "type"],
    ["image-id-subst", "image_id_subst"],
    ["launch_cfg", "launch_config"],
    ["JOIN_TIMEOUT", "join_timeout"],
  ])("suggests %s -> %s", (word, match) => {
    const known = ["vpc", "type", "image_id_subst", "launch_config", "join_timeout", "tags"];
    expect(closest(word, known)).toBe(match);
  });
  it("suggests nothing far away", () => {
    expect(closest("colour", ["vpc", "tags"])).toBeUndefined();
    expect(didYouMean("base", ["tags"])).toBe("");
    expect(didYouMean("tgas", ["tags"])).toBe('; did you mean "tags"?');
  });
});

import { describe, expect, it } from "vitest";
import { formatPath, hasKey, valueAt } from "#shared/config/path.js";

describe("key paths", () => {
  it.each([
    [[], ""],
    [["plugin_config", "ec2-asg", "launch_config", "sg", 0], "plugin_config.ec2-asg.launch_config.sg[0]"],
    [["tags", "app.example.com/team"], 'tags["app.example.com/team"]'],
    [["components", "my app"], 'components["my app"]'],
    [["tags", "skopos:image_id"], "tags.skopos:image_id"],
  ])("%j prints as %s", (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
  it("finds values, keys and list indexes", () => {
    const data = { a: { b: [1, null] } };
    expect(valueAt(data, ["a", "b", 0])).toBe(1);
    expect(valueAt(data, ["a", "x", 0])).toBeUndefined();
    expect(hasKey(data, ["a", "b", 1])).toBe(true);
    expect(hasKey(data, ["a", "b", 2])).toBe(false);
    expect(hasKey(data, ["a", "c"])).toBe(false);
  });
});

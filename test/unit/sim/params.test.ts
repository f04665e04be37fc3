import { describe, expect, it } from "vitest";
import { ParamReader, parseParams } from "../../../sim/api/params.js";

const read = (query: string) => new ParamReader(parseParams(new URLSearchParams(query)));

describe("query parameters", () => {
  it("nest EC2 lists by 1-based index", () => {
    const p = read(
      "Filter.1.Name=tag%3AName&Filter.1.Value.1=a&Filter.1.Value.2=b&Filter.2.Name=vpc-id&Filter.2.Value.1=v",
    );
    expect(p.objects("Filter").map((f) => [f.str("Name"), f.strings("Value")])).toEqual([
      ["tag:Name", ["a", "b"]],
      ["vpc-id", ["v"]],
    ]);
  });
  it("drop the query protocol's member marker", () => {
    const p = read("Tags.member.1.Key=k&Tags.member.1.Value=v&Names.member.1=x");
    expect(p.objects("Tags")[0]?.str("Key")).toBe("k");
    expect(p.strings("Names")).toEqual(["x"]);
  });
  it("read a bare key as an empty list, as the query protocol sends one", () => {
    const p = read("AutoScalingGroupNames=&Filters=");
    expect(p.strings("AutoScalingGroupNames")).toEqual([]);
    expect(p.objects("Filters")).toEqual([]);
  });
  it("refuse a non-integer where an integer is expected", () => {
    expect(() => read("MaxResults=ten").int("MaxResults")).toThrow(/Expected an integer/);
  });
});

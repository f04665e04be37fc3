// The XML the sim's query-protocol responses are made of, pinned: the SDK and the AWS CLI parse it.
import { describe, expect, it } from "vitest";
import { escapeXml, toXml } from "../../../sim/api/xml.js";

describe("escapeXml", () => {
  it.each([
    ["plain", "plain"],
    ["", ""],
    ["a<b>c", "a&lt;b&gt;c"],
    ['Tom & Jerry\'s "show"', "Tom &amp; Jerry&apos;s &quot;show&quot;"],
    ["&&", "&amp;&amp;"],
    ["&amp;", "&amp;amp;"],
    ["ünïcødé ✓", "ünïcødé ✓"],
  ])("%j -> %j", (input, output) => {
    expect(escapeXml(input)).toBe(output);
  });

  it("gives the same answer on repeated calls (no regex state carried over)", () => {
    expect([escapeXml("<"), escapeXml("<"), escapeXml("x"), escapeXml("<")]).toEqual([
      "&lt;",
      "&lt;",
      "x",
      "&lt;",
    ]);
  });
});

describe("toXml", () => {
  it("names elements by their keys verbatim, in key order", () => {
    expect(toXml({ instanceId: "i-1", State: "running", "aws:x": "y" }, "item")).toBe(
      "<instanceId>i-1</instanceId><State>running</State><aws:x>y</aws:x>",
    );
  });

  it("nests objects", () => {
    expect(toXml({ a: { b: { c: "d" } }, e: {} }, "item")).toBe("<a><b><c>d</c></b></a><e></e>");
  });

  it("makes arrays repeated item (EC2) or member (Query) children", () => {
    const value = { tagSet: [{ key: "k1", value: "v1" }, { key: "k2" }], ids: ["a", "b"] };
    expect(toXml(value, "item")).toBe(
      "<tagSet><item><key>k1</key><value>v1</value></item><item><key>k2</key></item></tagSet>" +
        "<ids><item>a</item><item>b</item></ids>",
    );
    expect(toXml({ Ids: ["a"] }, "member")).toBe("<Ids><member>a</member></Ids>");
  });

  it("writes an empty array as an empty element and nested arrays as nested lists", () => {
    expect(toXml({ productCodes: [], grid: [["a"], []] }, "item")).toBe(
      "<productCodes></productCodes><grid><item><item>a</item></item><item></item></grid>",
    );
  });

  it("keeps empty list entries for null or undefined items", () => {
    expect(toXml({ l: [null, undefined, "x"] }, "member")).toBe(
      "<l><member></member><member></member><member>x</member></l>",
    );
  });

  it("writes Dates as ISO 8601 with milliseconds, numbers and booleans as text", () => {
    expect(
      toXml(
        {
          launchTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)),
          code: 16,
          ratio: 0.5,
          on: true,
          off: false,
          zero: 0,
        },
        "item",
      ),
    ).toBe(
      "<launchTime>2026-01-02T03:04:05.006Z</launchTime><code>16</code><ratio>0.5</ratio>" +
        "<on>true</on><off>false</off><zero>0</zero>",
    );
  });

  it("omits keys whose value is undefined or null, but keeps empty strings", () => {
    expect(toXml({ a: undefined, b: null, c: "", d: "x" }, "item")).toBe("<c></c><d>x</d>");
  });

  it("escapes text, not element names", () => {
    expect(toXml({ message: "a < b & c > \"d\" 'e'", list: ["<x>"] }, "member")).toBe(
      "<message>a &lt; b &amp; c &gt; &quot;d&quot; &apos;e&apos;</message>" +
        "<list><member>&lt;x&gt;</member></list>",
    );
  });

  it("serialises a bare value or nothing at the top", () => {
    expect(toXml("a&b", "item")).toBe("a&amp;b");
    expect(toXml(7, "item")).toBe("7");
    expect(toXml(undefined, "item")).toBe("");
    expect(toXml(null, "member")).toBe("");
    expect(toXml(["a"], "member")).toBe("<member>a</member>");
  });

  it("writes a large listing whole, in order", () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({
      instanceId: `i-${String(i).padStart(17, "0")}`,
      tagSet: [{ key: "Name", value: `web & ${i}` }],
    }));
    const xml = toXml({ instancesSet: items }, "item");
    const expected =
      "<instancesSet>" +
      items
        .map(
          (i) =>
            `<item><instanceId>${i.instanceId}</instanceId><tagSet><item><key>Name</key>` +
            `<value>${i.tagSet[0]!.value.replace("&", "&amp;")}</value></item></tagSet></item>`,
        )
        .join("") +
      "</instancesSet>";
    expect(xml).toBe(expected);
  });
});

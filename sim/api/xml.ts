// XML for the EC2 and Query protocols. A response is a plain value tree: objects become elements
// named by their keys, arrays become repeated <item> (EC2) or <member> (Query) children, Dates ISO
// strings, and undefined/null are left out, as AWS omits absent fields.

export type XmlValue =
  string | number | boolean | Date | null | undefined | XmlValue[] | { [key: string]: XmlValue };

export function escapeXml(s: string): string {
  return s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

export function toXml(value: XmlValue, listTag: "item" | "member"): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<${listTag}>${toXml(v, listTag)}</${listTag}>`).join("");
  if (typeof value === "object") {
    let out = "";
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      out += `<${k}>${toXml(v, listTag)}</${k}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}

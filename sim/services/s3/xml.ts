// S3's XML: elements named as the REST API names them, lists flattened (repeated elements), the
// 2006-03-01 namespace on the root, dates in ISO 8601 with milliseconds.
import { createHash } from "node:crypto";
import { escapeXml } from "../../api/xml.js";

export const S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";

type Text = string | number | boolean | Date | undefined;

/** `<name>text</name>`, or "" when the value is undefined. */
export function el(name: string, value: Text): string {
  if (value === undefined) return "";
  const text = value instanceof Date ? value.toISOString() : String(value);
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** `<name>inner</name>` around already-serialised children. */
export function wrap(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

export function document(root: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NS}">${inner}</${root}>`;
}

/** The account's canonical user id: 64 hex digits, stable per account. */
export function canonicalId(accountId: string): string {
  return createHash("sha256").update(`sim-canonical-user-${accountId}`).digest("hex");
}

/** Reads the text of each `<name>` element of a small request document, unescaping entities. */
export function elementTexts(xml: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, "g");
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(unescapeXml(m[1] ?? ""));
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) => {
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "amp") return "&";
    if (e === "quot") return '"';
    if (e === "apos") return "'";
    return String.fromCodePoint(e.startsWith("#x") ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

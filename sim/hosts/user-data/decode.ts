// Splits user-data into the parts cloud-init would handle: gzip is inflated, MIME multipart is
// split, and each part is typed by its Content-Type or first line ("#!", "#cloud-config", ...).
import { gunzipSync } from "node:zlib";

export type PartKind = "script" | "cloud-config" | "boothook" | "ignored";

export interface UserDataPart {
  kind: PartKind;
  /** A file name from the MIME part, or "part-N". */
  name: string;
  content: Buffer;
  /** Why a part is ignored. */
  reason?: string;
}

const byContentType: Record<string, PartKind> = {
  "text/x-shellscript": "script",
  "text/cloud-config": "cloud-config",
  "text/cloud-boothook": "boothook",
};

function kindOfText(content: Buffer): { kind: PartKind; reason?: string } {
  const first = content.subarray(0, 200).toString().split(/\r?\n/)[0]!.trim();
  if (first.startsWith("#!")) return { kind: "script" };
  if (first.startsWith("#cloud-config")) return { kind: "cloud-config" };
  if (first.startsWith("#cloud-boothook")) return { kind: "boothook" };
  return { kind: "ignored", reason: `unsupported user-data format: ${JSON.stringify(first.slice(0, 40))}` };
}

const isGzip = (b: Buffer): boolean => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
const isMime = (b: Buffer): boolean =>
  /^(content-type:\s*multipart\/|mime-version:)/i.test(b.subarray(0, 200).toString());

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  // Folded header lines continue with whitespace.
  for (const line of text.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return headers;
}

function param(header: string | undefined, name: string): string | undefined {
  const m = new RegExp(`${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, "i").exec(header ?? "");
  return m ? (m[2] ?? m[1]) : undefined;
}

function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return { headers: parseHeaders(raw), body: "" };
  return { headers: parseHeaders(raw.slice(0, m.index)), body: raw.slice(m.index + m[0].length) };
}

function splitMultipart(raw: string, counter: { n: number }): UserDataPart[] {
  const { headers, body } = splitEntity(raw);
  const type = headers.get("content-type") ?? "";
  const boundary = param(type, "boundary");
  if (!boundary)
    return [
      {
        kind: "ignored",
        name: `part-${++counter.n}`,
        content: Buffer.from(body, "latin1"),
        reason: "multipart without boundary",
      },
    ];
  const parts: UserDataPart[] = [];
  const chunks = body.split(`--${boundary}`).slice(1);
  for (const chunk of chunks) {
    if (chunk.startsWith("--")) break;
    parts.push(...decodeEntity(chunk.replace(/^\r?\n/, "").replace(/\r?\n$/, ""), counter));
  }
  return parts;
}

function decodeEntity(raw: string, counter: { n: number }): UserDataPart[] {
  const { headers, body } = splitEntity(raw);
  const type = (headers.get("content-type") ?? "text/plain").split(";")[0]!.trim().toLowerCase();
  if (type.startsWith("multipart/")) return splitMultipart(raw, counter);
  const name =
    param(headers.get("content-disposition"), "filename") ??
    param(headers.get("content-type"), "name") ??
    `part-${++counter.n}`;
  let content: Buffer =
    headers.get("content-transfer-encoding")?.toLowerCase() === "base64"
      ? Buffer.from(body, "base64")
      : Buffer.from(body, "latin1");
  if (isGzip(content)) content = gunzipSync(content);
  const known = byContentType[type];
  return [known ? { kind: known, name, content } : { ...kindOfText(content), name, content }];
}

export function decodeUserData(userData: Buffer): UserDataPart[] {
  const data = isGzip(userData) ? gunzipSync(userData) : userData;
  if (data.length === 0) return [];
  // Split as latin1 so that every byte of a part survives the string round trip.
  if (isMime(data)) return splitMultipart(data.toString("latin1"), { n: 0 });
  return [{ ...kindOfText(data), name: "part-001", content: data }];
}

// The object bytes of an upload. SDKs send them plain, or `aws-chunked` (signed chunks or an
// unsigned stream with the checksum in a trailer: `x-amz-content-sha256:
// STREAMING-UNSIGNED-PAYLOAD-TRAILER`, `x-amz-trailer`, `x-amz-decoded-content-length`); both
// are decoded here, and Content-MD5 and any `x-amz-checksum-*` (header or trailer) are verified.
import { createHash } from "node:crypto";
import type { RestRequest } from "../types.js";
import { CHECKSUM_ALGORITHMS, checksumHeader, computeChecksum } from "./checksums.js";
import { S3Error } from "./errors.js";
import { header } from "./headers.js";

export interface Upload {
  body: Buffer;
  /** Verified checksums by algorithm ("CRC32": base64). */
  checksums: Record<string, string>;
  /** Content-Encoding without the transfer-only `aws-chunked`. */
  contentEncoding?: string;
}

export function readUpload(req: RestRequest): Upload {
  const encodings = (header(req, "content-encoding") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const sha = header(req, "x-amz-content-sha256") ?? "";
  const chunked = encodings.includes("aws-chunked") || sha.startsWith("STREAMING-");
  const { body, trailers } = chunked ? decodeChunked(req.body) : { body: req.body, trailers: {} };
  const decodedLength = header(req, "x-amz-decoded-content-length");
  if (chunked && decodedLength !== undefined && Number(decodedLength) !== body.length)
    throw new S3Error(
      "IncompleteBody",
      "You did not provide the number of bytes specified by the Content-Length HTTP header",
      400,
    );
  checkMd5(req, body);
  const checksums: Record<string, string> = {};
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = checksumHeader(algorithm);
    const sent = trailers[name] ?? header(req, name);
    if (sent === undefined) continue;
    if (computeChecksum(algorithm, body) !== sent)
      throw new S3Error(
        "BadDigest",
        `The ${algorithm} you specified did not match the calculated checksum.`,
        400,
      );
    checksums[algorithm] = sent;
  }
  const rest = encodings.filter((e) => e !== "aws-chunked");
  return { body, checksums, contentEncoding: rest.length ? rest.join(",") : undefined };
}

function checkMd5(req: RestRequest, body: Buffer): void {
  const md5 = header(req, "content-md5");
  if (md5 === undefined) return;
  if (Buffer.from(md5, "base64").length !== 16)
    throw new S3Error("InvalidDigest", "The Content-MD5 you specified was invalid.", 400);
  if (createHash("md5").update(body).digest("base64") !== md5)
    throw new S3Error("BadDigest", "The Content-MD5 you specified did not match what we received.", 400);
}

/** `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0[;…]\r\n` then trailer lines and a blank line. */
export function decodeChunked(raw: Buffer): { body: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  const line = (): string => {
    const end = raw.indexOf("\r\n", pos);
    if (end < 0) throw incomplete();
    const text = raw.subarray(pos, end).toString("latin1");
    pos = end + 2;
    return text;
  };
  for (;;) {
    const size = parseInt(line().split(";")[0] ?? "", 16);
    if (!Number.isFinite(size) || size < 0) throw incomplete();
    if (size === 0) break;
    if (pos + size > raw.length) throw incomplete();
    parts.push(raw.subarray(pos, pos + size));
    pos += size;
    if (raw.subarray(pos, pos + 2).toString("latin1") !== "\r\n") throw incomplete();
    pos += 2;
  }
  while (pos < raw.length) {
    const text = line();
    if (text === "") break;
    const colon = text.indexOf(":");
    if (colon > 0) trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}

function incomplete(): S3Error {
  return new S3Error("IncompleteBody", "The request body terminated unexpectedly", 400);
}

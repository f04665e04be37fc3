// The additional checksums S3 accepts (CRC32, CRC32C, CRC64NVME, SHA1, SHA256), computed over the
// decoded object bytes and compared with what the client sent, base64 as in `x-amz-checksum-*`.
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

export const CHECKSUM_ALGORITHMS = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

export function computeChecksum(algorithm: ChecksumAlgorithm, data: Buffer): string {
  switch (algorithm) {
    case "CRC32":
      return u32(crc32(data));
    case "CRC32C":
      return u32(crc32c(data));
    case "CRC64NVME":
      return u64(crc64nvme(data));
    case "SHA1":
      return createHash("sha1").update(data).digest("base64");
    case "SHA256":
      return createHash("sha256").update(data).digest("base64");
  }
}

function u32(n: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString("base64");
}

function u64(n: bigint): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b.toString("base64");
}

const CRC32C_TABLE = makeTable32(0x82f63b78);

function makeTable32(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
}

function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// CRC-64/NVME: reflected, polynomial 0xad93d23594c93659 (reversed 0x9a6c9329ac4bc9b5), init and xorout all ones.
const CRC64_TABLE = ((): BigUint64Array => {
  const table = new BigUint64Array(256);
  for (let i = 0; i < 256; i++) {
    let c = BigInt(i);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ 0x9a6c9329ac4bc9b5n : c >> 1n;
    table[i] = c;
  }
  return table;
})();

function crc64nvme(data: Buffer): bigint {
  let crc = 0xffffffffffffffffn;
  for (const byte of data) crc = (CRC64_TABLE[Number((crc ^ BigInt(byte)) & 0xffn)] ?? 0n) ^ (crc >> 8n);
  return crc ^ 0xffffffffffffffffn;
}

// S3 transfers beyond a single PutObject: multipart uploads (the AWS CLI above 8 MiB, and the
// low-level SDK calls with S3's errors), the other checksum algorithms, and signed aws-chunked bodies.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeChunked } from "../../sim/services/s3/body.js";
import { computeChecksum } from "../../sim/services/s3/checksums.js";
import { awsText, failure } from "../support/lb.js";
import { useSimWorld } from "../support/sim-world.js";

const world = useSimWorld("sim-s3-transfer-");
const MiB = 1024 * 1024;

beforeAll(async () => {
  await world.aws.s3.send(new CreateBucketCommand({ Bucket: "artifacts" }));
});
const md5 = (b: Buffer): string => createHash("md5").update(b).digest("hex");

describe("multipart uploads", () => {
  it("takes a large file from aws s3 cp in parts and gives it back whole", async () => {
    const data = Buffer.alloc(12 * MiB);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32BE(i, i);
    const file = join(world.dir, "big.bin");
    await writeFile(file, data);
    await awsText(world.sim, ["s3", "cp", file, "s3://artifacts/big.bin"]);
    const head = await world.aws.s3.send(new HeadObjectCommand({ Bucket: "artifacts", Key: "big.bin" }));
    const parts = [data.subarray(0, 8 * MiB), data.subarray(8 * MiB)];
    const expected = md5(Buffer.concat(parts.map((p) => Buffer.from(md5(p), "hex"))));
    expect(head).toMatchObject({ ContentLength: 12 * MiB, ETag: `"${expected}-2"` });
    const back = join(world.dir, "back.bin");
    await awsText(world.sim, ["s3", "cp", "s3://artifacts/big.bin", back]);
    expect((await readFile(back)).equals(data)).toBe(true);
  });

  it("answers S3's errors for bad part lists and unknown uploads", async () => {
    const created = await world.aws.s3.send(
      new CreateMultipartUploadCommand({ Bucket: "artifacts", Key: "parts" }),
    );
    const UploadId = created.UploadId ?? "";
    const part = (PartNumber: number, Body: Buffer) =>
      world.aws.s3.send(
        new UploadPartCommand({ Bucket: "artifacts", Key: "parts", UploadId, PartNumber, Body }),
      );
    const small = await part(1, Buffer.from("tiny"));
    const last = await part(2, Buffer.from("end"));
    const complete = (Parts: { PartNumber: number; ETag?: string }[]) =>
      world.aws.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: "artifacts",
          Key: "parts",
          UploadId,
          MultipartUpload: { Parts },
        }),
      );
    expect(
      await failure(
        complete([
          { PartNumber: 1, ETag: small.ETag },
          { PartNumber: 2, ETag: last.ETag },
        ]),
      ),
    ).toMatchObject({
      name: "EntityTooSmall",
      status: 400,
    });
    expect(
      await failure(
        complete([
          { PartNumber: 2, ETag: last.ETag },
          { PartNumber: 1, ETag: small.ETag },
        ]),
      ),
    ).toMatchObject({
      name: "InvalidPartOrder",
    });
    expect(await failure(complete([{ PartNumber: 1, ETag: '"00"' }]))).toMatchObject({ name: "InvalidPart" });
    const done = await complete([{ PartNumber: 2, ETag: last.ETag }]);
    expect(done.ETag).toBe(`"${md5(Buffer.from(md5(Buffer.from("end")), "hex"))}-1"`);
    expect(await failure(complete([{ PartNumber: 2, ETag: last.ETag }]))).toMatchObject({
      name: "NoSuchUpload",
      status: 404,
    });
    const aborted = await world.aws.s3.send(
      new CreateMultipartUploadCommand({ Bucket: "artifacts", Key: "gone" }),
    );
    await world.aws.s3.send(
      new AbortMultipartUploadCommand({ Bucket: "artifacts", Key: "gone", UploadId: aborted.UploadId }),
    );
    expect(
      await failure(
        world.aws.s3.send(
          new AbortMultipartUploadCommand({ Bucket: "artifacts", Key: "gone", UploadId: aborted.UploadId }),
        ),
      ),
    ).toMatchObject({ name: "NoSuchUpload" });
  });
});

describe("checksums", () => {
  it("computes the standard check values", () => {
    const check = Buffer.from("123456789");
    const hex = (b64: string): string => Buffer.from(b64, "base64").toString("hex");
    expect(hex(computeChecksum("CRC32", check))).toBe("cbf43926");
    expect(hex(computeChecksum("CRC32C", check))).toBe("e3069283");
    expect(hex(computeChecksum("CRC64NVME", check))).toBe("ae8b14860a799888");
  });

  it.each(["CRC32C", "SHA1", "SHA256", "CRC64NVME"] as const)(
    "stores and returns a %s checksum the SDK validates",
    async (algorithm) => {
      const Key = `sum-${algorithm}`;
      const out = await world.aws.s3.send(
        new PutObjectCommand({
          Bucket: "artifacts",
          Key,
          Body: "checked bytes",
          ChecksumAlgorithm: algorithm,
        }),
      );
      const got = await world.aws.s3.send(
        new GetObjectCommand({ Bucket: "artifacts", Key, ChecksumMode: "ENABLED" }),
      );
      expect(await got.Body?.transformToString()).toBe("checked bytes");
      const field = `Checksum${algorithm}` as const;
      expect(got[field]).toBe(out[field]);
      expect(got[field]).toBe(computeChecksum(algorithm, Buffer.from("checked bytes")));
    },
  );

  it("decodes signed aws-chunked bodies with a trailer", () => {
    const raw = Buffer.from(
      "5;chunk-signature=aaaa\r\nhello\r\n6;chunk-signature=bbbb\r\n world\r\n0;chunk-signature=cccc\r\n" +
        "x-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:dddd\r\n\r\n",
    );
    expect(decodeChunked(raw)).toEqual({
      body: Buffer.from("hello world"),
      trailers: { "x-amz-checksum-crc32": "DUoRhQ==", "x-amz-trailer-signature": "dddd" },
    });
  });
});

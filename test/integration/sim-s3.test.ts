// S3 conformance through the SDK (default settings: CRC32 checksums, aws-chunked streams) and the
// AWS CLI: buckets, objects, conditional writes and their race, ranges, listings, copies.
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "#shared/aws/clients.js";
import { awsText, failure } from "../support/lb.js";
import { awsCli, awsCliError } from "../support/sim.js";
import { useSimWorld } from "../support/sim-world.js";

const world = useSimWorld("sim-s3-test-");

beforeAll(async () => {
  await world.aws.s3.send(new CreateBucketCommand({ Bucket: "releases" }));
});
const put = (
  Key: string,
  Body: string,
  extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {},
) => world.aws.s3.send(new PutObjectCommand({ Bucket: "releases", Key, Body, ...extra }));

describe("buckets", () => {
  it("creates buckets per region, with us-east-1's legacy answer to a repeat", async () => {
    const eu = createAwsClients({
      region: "eu-west-1",
      endpoint: world.sim.endpoint,
      credentials: world.sim.credentials,
      maxAttempts: 1,
    });
    try {
      await eu.s3.send(
        new CreateBucketCommand({
          Bucket: "eu-bucket",
          CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
        }),
      );
      expect(
        await failure(
          eu.s3.send(
            new CreateBucketCommand({
              Bucket: "eu-bucket",
              CreateBucketConfiguration: { LocationConstraint: "eu-west-1" },
            }),
          ),
        ),
      ).toMatchObject({ name: "BucketAlreadyOwnedByYou", status: 409 });
      expect(
        await failure(
          eu.s3.send(
            new CreateBucketCommand({
              Bucket: "elsewhere",
              CreateBucketConfiguration: { LocationConstraint: "us-west-2" },
            }),
          ),
        ),
      ).toMatchObject({
        name: "IllegalLocationConstraintException",
        status: 400,
      });
    } finally {
      eu.destroy();
    }
    await world.aws.s3.send(new CreateBucketCommand({ Bucket: "releases" }));
    expect(await failure(world.aws.s3.send(new CreateBucketCommand({ Bucket: "Bad_Name" })))).toMatchObject({
      name: "InvalidBucketName",
      message: "The specified bucket is not valid.",
    });
    const head = await world.aws.s3.send(new HeadBucketCommand({ Bucket: "eu-bucket" }));
    expect(head.BucketRegion).toBe("eu-west-1");
    expect(
      await failure(world.aws.s3.send(new HeadBucketCommand({ Bucket: "missing-bucket" }))),
    ).toMatchObject({
      status: 404,
    });
    const location = await world.aws.s3.send(new GetBucketLocationCommand({ Bucket: "eu-bucket" }));
    expect(location.LocationConstraint).toBe("eu-west-1");
    const list = await world.aws.s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([
      ["eu-bucket", "eu-west-1"],
      ["releases", "us-east-1"],
    ]);
    expect(list.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses to delete a bucket that is not empty", async () => {
    await world.aws.s3.send(new CreateBucketCommand({ Bucket: "short-lived" }));
    await world.aws.s3.send(new PutObjectCommand({ Bucket: "short-lived", Key: "x", Body: "x" }));
    expect(
      await failure(world.aws.s3.send(new DeleteBucketCommand({ Bucket: "short-lived" }))),
    ).toMatchObject({
      name: "BucketNotEmpty",
      message: "The bucket you tried to delete is not empty",
      status: 409,
    });
    await world.aws.s3.send(new DeleteObjectCommand({ Bucket: "short-lived", Key: "x" }));
    await world.aws.s3.send(new DeleteBucketCommand({ Bucket: "short-lived" }));
    expect(
      await failure(world.aws.s3.send(new DeleteBucketCommand({ Bucket: "short-lived" }))),
    ).toMatchObject({
      name: "NoSuchBucket",
      status: 404,
    });
  });
});

describe("objects", () => {
  it("stores an object with its type, metadata, MD5 ETag and CRC32, and serves it back", async () => {
    const out = await put("snap.txt", "snap-0123456789abcdef0\n", {
      ContentType: "text/plain",
      Metadata: { release: "r42" },
    });
    expect(out.ETag).toBe(`"${md5("snap-0123456789abcdef0\n")}"`);
    expect(out.ChecksumCRC32).toBeTruthy();
    const got = await world.aws.s3.send(new GetObjectCommand({ Bucket: "releases", Key: "snap.txt" }));
    expect(await got.Body?.transformToString()).toBe("snap-0123456789abcdef0\n");
    expect(got).toMatchObject({
      ContentType: "text/plain",
      Metadata: { release: "r42" },
      ETag: out.ETag,
      ContentLength: 23,
    });
    expect(got.ChecksumCRC32).toBe(out.ChecksumCRC32);
    const head = await world.aws.s3.send(new HeadObjectCommand({ Bucket: "releases", Key: "snap.txt" }));
    expect(head).toMatchObject({ ContentLength: 23, ETag: out.ETag, ServerSideEncryption: "AES256" });
  });

  it("decodes a streamed (aws-chunked) upload and verifies its trailing checksum", async () => {
    const body = Readable.from([Buffer.from("first chunk, "), Buffer.from("second chunk")]);
    const out = await world.aws.s3.send(
      new PutObjectCommand({ Bucket: "releases", Key: "stream.bin", Body: body, ContentLength: 25 }),
    );
    const got = await world.aws.s3.send(new GetObjectCommand({ Bucket: "releases", Key: "stream.bin" }));
    expect(await got.Body?.transformToString()).toBe("first chunk, second chunk");
    expect(got.ChecksumCRC32).toBe(out.ChecksumCRC32);
    expect(await failure(put("bad.bin", "data", { ChecksumCRC32: "AAAAAA==" }))).toMatchObject({
      name: "BadDigest",
      status: 400,
    });
  });

  it("serves byte ranges and read conditions", async () => {
    await put("range.txt", "0123456789");
    const part = await world.aws.s3.send(
      new GetObjectCommand({ Bucket: "releases", Key: "range.txt", Range: "bytes=2-5" }),
    );
    expect(await part.Body?.transformToString()).toBe("2345");
    expect(part.ContentRange).toBe("bytes 2-5/10");
    const tail = await world.aws.s3.send(
      new GetObjectCommand({ Bucket: "releases", Key: "range.txt", Range: "bytes=-3" }),
    );
    expect(await tail.Body?.transformToString()).toBe("789");
    expect(
      await failure(
        world.aws.s3.send(new GetObjectCommand({ Bucket: "releases", Key: "range.txt", Range: "bytes=20-" })),
      ),
    ).toMatchObject({ name: "InvalidRange", status: 416 });
    const etag = `"${md5("0123456789")}"`;
    expect(
      await failure(
        world.aws.s3.send(new GetObjectCommand({ Bucket: "releases", Key: "range.txt", IfNoneMatch: etag })),
      ),
    ).toMatchObject({ status: 304 });
    expect(
      await failure(
        world.aws.s3.send(new GetObjectCommand({ Bucket: "releases", Key: "range.txt", IfMatch: '"0000"' })),
      ),
    ).toMatchObject({ name: "PreconditionFailed", status: 412 });
    expect(
      await failure(world.aws.s3.send(new GetObjectCommand({ Bucket: "releases", Key: "none" }))),
    ).toMatchObject({
      name: "NoSuchKey",
      message: "The specified key does not exist.",
      status: 404,
    });
    expect(
      await failure(world.aws.s3.send(new GetObjectCommand({ Bucket: "no-such-bucket", Key: "x" }))),
    ).toMatchObject({
      name: "NoSuchBucket",
      status: 404,
    });
  });

  it("copies objects, keeping or replacing metadata", async () => {
    await put("orig.txt", "payload", { ContentType: "text/plain", Metadata: { a: "1" } });
    await world.aws.s3.send(
      new CopyObjectCommand({ Bucket: "releases", Key: "copy.txt", CopySource: "releases/orig.txt" }),
    );
    const kept = await world.aws.s3.send(new HeadObjectCommand({ Bucket: "releases", Key: "copy.txt" }));
    expect(kept).toMatchObject({ ContentType: "text/plain", Metadata: { a: "1" }, ContentLength: 7 });
    await world.aws.s3.send(
      new CopyObjectCommand({
        Bucket: "releases",
        Key: "copy.txt",
        CopySource: "releases/orig.txt",
        MetadataDirective: "REPLACE",
        Metadata: { b: "2" },
      }),
    );
    const replaced = await world.aws.s3.send(new HeadObjectCommand({ Bucket: "releases", Key: "copy.txt" }));
    expect(replaced.Metadata).toEqual({ b: "2" });
  });
});

describe("conditional writes", () => {
  it("creates only when absent with If-None-Match: *", async () => {
    await put("pointer", "v1", { IfNoneMatch: "*" });
    expect(await failure(put("pointer", "v2", { IfNoneMatch: "*" }))).toMatchObject({
      name: "PreconditionFailed",
      message: "At least one of the pre-conditions you specified did not hold",
      status: 412,
    });
  });

  it("replaces only the version named by If-Match, and 404s for a missing key", async () => {
    const v1 = await put("guarded", "v1");
    const v2 = await put("guarded", "v2", { IfMatch: v1.ETag });
    expect(await failure(put("guarded", "v3", { IfMatch: v1.ETag }))).toMatchObject({
      name: "PreconditionFailed",
      status: 412,
    });
    expect(await failure(put("absent", "v1", { IfMatch: v1.ETag }))).toMatchObject({
      name: "NoSuchKey",
      status: 404,
    });
    expect(
      await failure(
        world.aws.s3.send(new DeleteObjectCommand({ Bucket: "releases", Key: "guarded", IfMatch: v1.ETag })),
      ),
    ).toMatchObject({ status: 412 });
    await world.aws.s3.send(
      new DeleteObjectCommand({ Bucket: "releases", Key: "guarded", IfMatch: v2.ETag }),
    );
    await world.aws.s3.send(new DeleteObjectCommand({ Bucket: "releases", Key: "guarded" }));
  });

  it("lets exactly one of racing writers with the same If-Match ETag win", async () => {
    const base = await put("race", "base");
    const writers = Array.from({ length: 8 }, (_, i) => put("race", `writer-${i}`, { IfMatch: base.ETag }));
    const results = await Promise.allSettled(writers);
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
    expect(won).toHaveLength(1);
    for (const r of results)
      if (r.status === "rejected")
        expect(r.reason).toMatchObject({ name: "PreconditionFailed", $metadata: { httpStatusCode: 412 } });
    const got = await world.aws.s3.send(new GetObjectCommand({ Bucket: "releases", Key: "race" }));
    expect(await got.Body?.transformToString()).toBe(`writer-${won[0]}`);
  });
});

describe("listings", () => {
  it("lists keys in order with prefix, delimiter and continuation tokens", async () => {
    await world.aws.s3.send(new CreateBucketCommand({ Bucket: "listing" }));
    const keys = ["a/1", "a/2", "b/1", "b/sub/1", "c", "d", "é"];
    for (const Key of keys)
      await world.aws.s3.send(new PutObjectCommand({ Bucket: "listing", Key, Body: Key }));
    const all: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2(
      { client: world.aws.s3, pageSize: 3 },
      { Bucket: "listing" },
    )) {
      pages += 1;
      all.push(...(page.Contents ?? []).map((c) => c.Key ?? ""));
    }
    expect(all).toEqual(keys);
    expect(pages).toBe(3);
    const grouped: { keys: string[]; prefixes: string[] } = { keys: [], prefixes: [] };
    for await (const page of paginateListObjectsV2(
      { client: world.aws.s3, pageSize: 2 },
      { Bucket: "listing", Delimiter: "/" },
    )) {
      grouped.keys.push(...(page.Contents ?? []).map((c) => c.Key ?? ""));
      grouped.prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ""));
    }
    expect(grouped).toEqual({ keys: ["c", "d", "é"], prefixes: ["a/", "b/"] });
    const none = await world.aws.s3.send(new ListObjectsV2Command({ Bucket: "listing", MaxKeys: 0 }));
    expect(none).toMatchObject({ KeyCount: 0, IsTruncated: false });
    const after = await world.aws.s3.send(
      new ListObjectsV2Command({ Bucket: "listing", StartAfter: "b/sub/1" }),
    );
    expect(after.Contents?.map((c) => c.Key)).toEqual(["c", "d", "é"]);
    const under = (await awsCli(world.sim, [
      "s3api",
      "list-objects-v2",
      "--bucket",
      "listing",
      "--prefix",
      "b/",
      "--delimiter",
      "/",
    ])) as {
      Contents: { Key: string; Size: number }[];
      CommonPrefixes: { Prefix: string }[];
    };
    expect(under.Contents.map((c) => [c.Key, c.Size])).toEqual([["b/1", 3]]);
    expect(under.CommonPrefixes).toEqual([{ Prefix: "b/sub/" }]);
  });
});

describe("the AWS CLI", () => {
  it("puts, heads, gets and lists with s3api", async () => {
    const file = join(world.dir, "up.txt");
    await writeFile(file, "from the cli\n");
    const putOut = (await awsCli(world.sim, [
      "s3api",
      "put-object",
      "--bucket",
      "releases",
      "--key",
      "cli/up.txt",
      "--body",
      file,
    ])) as {
      ETag: string;
    };
    expect(putOut.ETag).toBe(`"${md5("from the cli\n")}"`);
    const head = (await awsCli(world.sim, [
      "s3api",
      "head-object",
      "--bucket",
      "releases",
      "--key",
      "cli/up.txt",
    ])) as {
      ContentLength: number;
    };
    expect(head.ContentLength).toBe(13);
    const down = join(world.dir, "down.txt");
    await awsCli(world.sim, ["s3api", "get-object", "--bucket", "releases", "--key", "cli/up.txt", down]);
    expect(await readFile(down, "utf8")).toBe("from the cli\n");
  });

  it("copies files up and down with s3 cp, lists with s3 ls and removes recursively", async () => {
    const file = join(world.dir, "release.tar");
    await writeFile(file, Buffer.alloc(200_000, 7));
    await awsText(world.sim, ["s3", "cp", file, "s3://releases/cp/release.tar"]);
    const back = join(world.dir, "back.tar");
    await awsText(world.sim, ["s3", "cp", "s3://releases/cp/release.tar", back]);
    expect((await readFile(back)).equals(await readFile(file))).toBe(true);
    expect(await awsText(world.sim, ["s3", "ls", "s3://releases/cp/"])).toMatch(/200000 release\.tar/);
    await awsText(world.sim, ["s3", "rm", "--recursive", "s3://releases/cp/"]);
    expect(await awsText(world.sim, ["s3", "ls", "s3://releases/cp/"]).catch(() => "")).toBe("");
  });

  it("answers injected throttling with SlowDown", async () => {
    world.sim.setFault("s3:GetObject", { failNext: 1 });
    expect(
      await failure(world.aws.s3.send(new GetObjectCommand({ Bucket: "releases", Key: "snap.txt" }))),
    ).toMatchObject({
      name: "SlowDown",
      status: 503,
    });
    expect(world.sim.callCounts()["s3:GetObject"]).toBeGreaterThan(0);
  });
});

function md5(s: string): string {
  return createHash("md5").update(s).digest("hex");
}

describe("bucket policy and public access block", () => {
  it("stores, returns and deletes them as S3 does, and refuses a policy that is not JSON", async () => {
    const bucket = "settings-bucket";
    await world.aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${bucket}/agent/*`,
        },
      ],
    });
    await awsCli(world.sim, ["s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policy]);
    const got = (await awsCli(world.sim, ["s3api", "get-bucket-policy", "--bucket", bucket])) as {
      Policy: string;
    };
    expect(JSON.parse(got.Policy)).toEqual(JSON.parse(policy));
    const bad = await awsCliError(world.sim, [
      "s3api",
      "put-bucket-policy",
      "--bucket",
      bucket,
      "--policy",
      "not json",
    ]);
    expect(bad).toContain("MalformedPolicy");

    await awsCli(world.sim, [
      "s3api",
      "put-public-access-block",
      "--bucket",
      bucket,
      "--public-access-block-configuration",
      "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false",
    ]);
    const block = (await awsCli(world.sim, ["s3api", "get-public-access-block", "--bucket", bucket])) as {
      PublicAccessBlockConfiguration: Record<string, boolean>;
    };
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    await awsCli(world.sim, ["s3api", "delete-public-access-block", "--bucket", bucket]);
    await awsCli(world.sim, ["s3api", "delete-bucket-policy", "--bucket", bucket]);
    expect(await awsCliError(world.sim, ["s3api", "get-public-access-block", "--bucket", bucket])).toContain(
      "NoSuchPublicAccessBlockConfiguration",
    );
    expect(await awsCliError(world.sim, ["s3api", "get-bucket-policy", "--bucket", bucket])).toContain(
      "NoSuchBucketPolicy",
    );
    await world.aws.s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  });
});

// The pointer as an S3 object, for agents that read it there and for a second release server to
// take over from. Writes are conditional on the ETag this server last saw (If-Match), or on there
// being no object yet (If-None-Match: *), so two servers can never interleave their publishes: the
// loser gets 412 and stops instead of silently overwriting a newer release.
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { awsSend } from "#shared/aws/call.js";
import { AsgReleaseError, AwsError } from "#shared/errors.js";
import { parsePointer, type ReleasePointer } from "#shared/release/pointer.js";

export interface PointerMirror {
  load(): Promise<ReleasePointer | undefined>;
  /** The pointer the next put() would replace, as last read (read now if never). */
  seen(): Promise<ReleasePointer | undefined>;
  put(p: ReleasePointer): Promise<void>;
}

export class S3Pointer implements PointerMirror {
  private etag: string | undefined;
  private loaded = false;
  private last: ReleasePointer | undefined;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
  ) {}

  private get where(): string {
    return `s3://${this.bucket}/${this.key}`;
  }

  async load(): Promise<ReleasePointer | undefined> {
    try {
      const out = await awsSend(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: this.key }), {
        pointer: this.where,
      });
      this.etag = out.ETag;
      this.loaded = true;
      const text = (await out.Body?.transformToString()) ?? "";
      const p = parsePointer(text);
      if (!p) throw new AsgReleaseError(`release pointer ${this.where} is not a valid pointer document`);
      this.last = p;
      return p;
    } catch (err) {
      if (err instanceof AwsError && (err.code === "NoSuchKey" || err.context.httpStatus === 404)) {
        this.etag = undefined;
        this.loaded = true;
        this.last = undefined;
        return undefined;
      }
      throw err;
    }
  }

  async seen(): Promise<ReleasePointer | undefined> {
    if (!this.loaded) await this.load();
    return this.last;
  }

  async put(p: ReleasePointer): Promise<void> {
    if (!this.loaded) await this.load();
    try {
      const out = await awsSend(
        this.s3,
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key,
          Body: `${JSON.stringify(p)}\n`,
          ContentType: "application/json",
          CacheControl: "no-store",
          ...(this.etag ? { IfMatch: this.etag } : { IfNoneMatch: "*" }),
        }),
        { pointer: this.where, releaseId: p.releaseId },
      );
      this.etag = out.ETag;
      this.last = p;
    } catch (err) {
      if (err instanceof AwsError && err.context.httpStatus === 412) {
        this.loaded = false;
        const now = await this.load().catch(() => undefined);
        throw new AsgReleaseError(
          `another release server changed ${this.where} meanwhile (it names ${now?.releaseId ?? "an unknown release"}); ` +
            `not publishing ${p.releaseId} over it`,
          { code: "PointerConflict", cause: err },
        );
      }
      throw err;
    }
  }
}

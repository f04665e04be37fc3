// Step 2: which release is current. Asks the release server (/v1/release JSON; the plain /snap.txt
// only when no public key is configured), then an S3 object if configured, with jittered backoff
// and an overall deadline. Each request, body included, is bounded by one deadline and 64 KiB.
// What answers is then authenticated (pointer-trust.ts) and its snapshot verified (owner, release
// tags, completed). An id that fails either is never mounted (docs/spec/release.md#diff-verify-snapshot).
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { Dispatcher } from "undici";
import { awsCall, awsCode, awsSend } from "#shared/aws/call.js";
import { AsgReleaseError, messageOf } from "#shared/errors.js";
import { tlsDispatcher } from "#shared/http/tls-dispatcher.js";
import { field } from "#shared/log.js";
import {
  MAX_POINTER_BYTES,
  POINTER_JSON_PATH,
  POINTER_TEXT_PATH,
  pointerSchema,
} from "#shared/release/pointer.js";
import { retry } from "#shared/retry.js";
import type { InstanceContext } from "../context.js";
import { isRetryable, pointerInvalid as invalid, type PointerClaim } from "./pointer-claim.js";
import { trustPolicy, type TrustPolicy } from "./pointer-trust.js";

export type { PointerClaim };

/** EC2 snapshot ids: snap- and 8 or 17 hex digits. */
export const SNAPSHOT_ID = /^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** Parses a pointer document: the JSON form, or a plain snapshot id (snap.txt, or an S3 object). */
export function parsePointerText(text: string, source: string): PointerClaim {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch {
      throw invalid(`${source}: the pointer is not valid JSON`);
    }
    const parsed = pointerSchema.safeParse(data);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw invalid(
        `${source}: not a release pointer: ${first?.path.join(".") || "document"}: ${first?.message}`,
      );
    }
    const d = parsed.data;
    return {
      snapshotId: d.snapshotId,
      releaseId: d.releaseId,
      treeHash: d.treeHash,
      ...(d.imageDigest ? { imageDigest: d.imageDigest } : {}),
      source,
      document: d,
    };
  }
  if (!SNAPSHOT_ID.test(trimmed)) {
    throw invalid(
      `${source}: expected a snapshot id like "snap-0123456789abcdef0", got ${JSON.stringify(trimmed.slice(0, 80))}`,
    );
  }
  return { snapshotId: trimmed, source };
}

/** Reads a body up to `limit` bytes; a longer one is cut off and refused. */
async function readLimited(body: AsyncIterable<Uint8Array>, limit: number, source: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      // Leaving the loop destroys the stream: nothing more is read.
      throw invalid(`${source}: the answer is larger than ${limit / 1024} KiB, which no pointer is`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}

export interface RequestOptions {
  /** The whole request, answer body included, ends within this. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** For https: the configured trust (CA file, pinned fingerprint). */
  dispatcher?: Dispatcher;
}

async function httpGet(url: string, o: RequestOptions): Promise<{ status: number; body: string }> {
  // Loaded on the first request: half a megabyte of CommonJS that the start of a boot, up to the
  // first metadata request, has no use for.
  const { request } = await import("undici");
  const deadline = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([deadline, o.signal]) : deadline;
  try {
    const res = await request(url, {
      method: "GET",
      // One connection per request: nothing pooled keeps the process alive after the boot.
      reset: true,
      signal,
      ...(o.dispatcher ? { dispatcher: o.dispatcher } : {}),
    });
    const body = await readLimited(res.body, MAX_POINTER_BYTES, url);
    return { status: res.statusCode, body };
  } catch (err) {
    // A deadline (this request's or the overall one) rather than a stop asked for by the caller.
    if (signal.aborted && (signal.reason as Error | undefined)?.name === "TimeoutError") {
      // A server that drips its answer byte by byte is cut off here, not after each idle gap.
      throw new AsgReleaseError(`GET ${url}: no complete answer within ${o.timeoutMs / 1000} s`, {
        code: "PointerTimeout",
        context: { url },
      });
    }
    throw err;
  }
}

/**
 * One attempt at the release server: the JSON pointer; /snap.txt when the server has no JSON
 * pointer and `allowPlain` (no public key: a plain id could never carry a signature).
 */
export async function askReleaseServer(
  baseUrl: string,
  o: RequestOptions & { allowPlain: boolean },
): Promise<PointerClaim> {
  const jsonUrl = new URL(POINTER_JSON_PATH, baseUrl).href;
  const json = await httpGet(jsonUrl, o);
  if (json.status === 200) return parsePointerText(json.body, jsonUrl);
  if (json.status !== 404 || !o.allowPlain) {
    throw new AsgReleaseError(`GET ${jsonUrl}: HTTP ${json.status}`, {
      code: "PointerUnavailable",
      context: { url: jsonUrl, status: json.status },
    });
  }
  const textUrl = new URL(POINTER_TEXT_PATH, baseUrl).href;
  const text = await httpGet(textUrl, o);
  if (text.status === 200) return parsePointerText(text.body, textUrl);
  throw new AsgReleaseError(`GET ${textUrl}: HTTP ${text.status}`, {
    code: "PointerUnavailable",
    context: { url: textUrl, status: text.status },
  });
}

async function askS3(ctx: InstanceContext, bucket: string, key: string): Promise<PointerClaim> {
  const source = `s3://${bucket}/${key}`;
  let body: string | undefined;
  try {
    // The body streams after the answer: a failure reading it is the same call's.
    body = await awsCall("GetObject", { source }, async () => {
      const out = await awsSend(
        ctx.aws.s3,
        new GetObjectCommand({ Bucket: bucket, Key: key }),
        { source },
        { abortSignal: ctx.signal },
      );
      const stream = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
      if ((out.ContentLength ?? 0) > MAX_POINTER_BYTES) {
        stream?.destroy?.();
        return undefined;
      }
      if (!stream) return "";
      // Too large comes back as undefined: awsCall would make any error an AWS one.
      return readLimited(stream, MAX_POINTER_BYTES, source).catch((err: unknown) => {
        if (isRetryable(err)) throw err;
        return undefined;
      });
    });
  } catch (err) {
    const code = awsCode(err);
    if (code === "NoSuchKey" || code === "NoSuchBucket" || code === "AccessDenied") {
      throw invalid(`${source}: ${code}`);
    }
    throw err;
  }
  if (body === undefined) {
    throw invalid(
      `${source}: the object is larger than ${MAX_POINTER_BYTES / 1024} KiB, which no pointer is`,
    );
  }
  return parsePointerText(body, source);
}

/** Finds the pointer: the release server until its share of the deadline, then S3. */
export async function findPointer(ctx: InstanceContext): Promise<PointerClaim> {
  const cfg = ctx.config.pointer;
  const policy = await trustPolicy(ctx);
  const dispatcher = cfg.url?.startsWith("https:") ? await httpsTrust(ctx) : undefined;
  try {
    return await findWith(ctx, policy, dispatcher);
  } finally {
    await dispatcher?.destroy().catch(() => undefined);
  }
}

async function httpsTrust(ctx: InstanceContext): Promise<Dispatcher | undefined> {
  const tls = ctx.config.pointer.tls;
  if (!tls) return undefined;
  const { readFile } = await import("node:fs/promises");
  return tlsDispatcher({
    ...(tls.ca_file ? { ca: await readFile(tls.ca_file, "utf8") } : {}),
    ...(tls.fingerprint ? { fingerprint: tls.fingerprint } : {}),
  });
}

async function findWith(
  ctx: InstanceContext,
  policy: TrustPolicy,
  dispatcher: Dispatcher | undefined,
): Promise<PointerClaim> {
  const cfg = ctx.config.pointer;
  const deadlineMs = cfg.timeout * 1000;
  const attemptMs = cfg.attempt_timeout * 1000;
  const started = ctx.clock.now();
  // No request outlives the overall deadline, however its attempts are spaced.
  const overall = AbortSignal.timeout(deadlineMs);
  const signal = ctx.signal ? AbortSignal.any([overall, ctx.signal]) : overall;
  const common = { clock: ctx.clock, signal: ctx.signal, isRetryable, minDelayMs: 500, maxDelayMs: 10_000 };
  const failures: string[] = [];
  if (cfg.url) {
    const url = cfg.url;
    const ask = async () =>
      policy.accept(
        await askReleaseServer(url, {
          timeoutMs: attemptMs,
          signal,
          allowPlain: !policy.signed,
          ...(dispatcher ? { dispatcher } : {}),
        }),
      );
    try {
      return await retry(ask, {
        ...common,
        what: `the release pointer from ${url}`,
        // With an S3 fallback the server gets half the time, so the fallback gets a chance.
        maxWaitMs: cfg.s3 ? deadlineMs / 2 : deadlineMs,
      });
    } catch (err) {
      if (!cfg.s3 || !isRetryable(err)) throw asPointerFailure(err);
      failures.push(messageOf(err));
      ctx.log.warn(
        { [field.step]: "pointer", err: messageOf(err) },
        "release server did not answer; trying S3",
      );
    }
  }
  const s3 = cfg.s3!;
  try {
    return await retry(async () => policy.accept(await askS3(ctx, s3.bucket, s3.key)), {
      ...common,
      what: `the release pointer from s3://${s3.bucket}/${s3.key}`,
      maxWaitMs: Math.max(1000, deadlineMs - (ctx.clock.now() - started)),
    });
  } catch (err) {
    throw asPointerFailure(err, failures);
  }
}

function asPointerFailure(err: unknown, earlier: string[] = []): AsgReleaseError {
  const msg = [...earlier, messageOf(err)].join("; then ");
  return new AsgReleaseError(`no usable release pointer: ${msg}`, { code: "PointerUnavailable", cause: err });
}

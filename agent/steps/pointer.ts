// Step 2: which release is current. Asks the release server (/v1/release JSON, then the plain
// /snap.txt), then an S3 object if configured, with jittered backoff and an overall deadline; then
// verifies the snapshot (owner, release tags, completed). An id that fails verification is never
// mounted (docs/spec/release.md#diff-verify-snapshot).
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { z } from "zod";
import { awsCall, awsCode, awsSend } from "#shared/aws/call.js";
import { AsgReleaseError, messageOf } from "#shared/errors.js";
import { field } from "#shared/log.js";
import { POINTER_JSON_PATH, POINTER_TEXT_PATH, pointerSchema } from "#shared/release/pointer.js";
import { retry } from "#shared/retry.js";
import type { InstanceContext } from "../context.js";

/** What the pointer said, before verification. */
export interface PointerClaim {
  snapshotId: string;
  releaseId?: string;
  treeHash?: string;
  imageDigest?: string;
  source: string;
}

const pointerWithDigest = pointerSchema.extend({
  imageDigest: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/)
    .optional(),
});

/** EC2 snapshot ids: snap- and 8 or 17 hex digits. */
export const SNAPSHOT_ID = /^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** A pointer that answered but says nothing usable: retrying will not help. */
export const POINTER_INVALID = "PointerInvalid";

const invalid = (message: string) => new AsgReleaseError(message, { code: POINTER_INVALID });
const isRetryable = (err: unknown) => !(err instanceof AsgReleaseError && err.code === POINTER_INVALID);

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
    const parsed = pointerWithDigest.safeParse(data);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw invalid(
        `${source}: not a release pointer: ${first?.path.join(".") || "document"}: ${first?.message}`,
      );
    }
    return { ...parsed.data, source };
  }
  if (!SNAPSHOT_ID.test(trimmed)) {
    throw invalid(
      `${source}: expected a snapshot id like "snap-0123456789abcdef0", got ${JSON.stringify(trimmed.slice(0, 80))}`,
    );
  }
  return { snapshotId: trimmed, source };
}

async function httpGet(
  url: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ status: number; body: string }> {
  // Loaded on the first request: half a megabyte of CommonJS that the start of a boot, up to the
  // first metadata request, has no use for.
  const { request } = await import("undici");
  const res = await request(url, {
    method: "GET",
    // One connection per request: nothing pooled keeps the process alive after the boot.
    reset: true,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...(signal ? { signal } : {}),
  });
  return { status: res.statusCode, body: await res.body.text() };
}

/** One attempt at the release server: the JSON pointer, or snap.txt when the server has no JSON. */
export async function askReleaseServer(
  baseUrl: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<PointerClaim> {
  const jsonUrl = new URL(POINTER_JSON_PATH, baseUrl).href;
  const json = await httpGet(jsonUrl, timeoutMs, signal);
  if (json.status === 200) return parsePointerText(json.body, jsonUrl);
  if (json.status !== 404) {
    throw new AsgReleaseError(`GET ${jsonUrl}: HTTP ${json.status}`, {
      code: "PointerUnavailable",
      context: { url: jsonUrl, status: json.status },
    });
  }
  const textUrl = new URL(POINTER_TEXT_PATH, baseUrl).href;
  const text = await httpGet(textUrl, timeoutMs, signal);
  if (text.status === 200) return parsePointerText(text.body, textUrl);
  throw new AsgReleaseError(`GET ${textUrl}: HTTP ${text.status}`, {
    code: "PointerUnavailable",
    context: { url: textUrl, status: text.status },
  });
}

async function askS3(ctx: InstanceContext, bucket: string, key: string): Promise<PointerClaim> {
  const source = `s3://${bucket}/${key}`;
  let body: string;
  try {
    // The body streams after the answer: a failure reading it is the same call's.
    body = await awsCall("GetObject", { source }, async () => {
      const out = await awsSend(
        ctx.aws.s3,
        new GetObjectCommand({ Bucket: bucket, Key: key }),
        { source },
        { abortSignal: ctx.signal },
      );
      return (await out.Body?.transformToString()) ?? "";
    });
  } catch (err) {
    const code = awsCode(err);
    if (code === "NoSuchKey" || code === "NoSuchBucket" || code === "AccessDenied") {
      throw invalid(`${source}: ${code}`);
    }
    throw err;
  }
  return parsePointerText(body, source);
}

/** Finds the pointer: the release server until its share of the deadline, then S3. */
export async function findPointer(ctx: InstanceContext): Promise<PointerClaim> {
  const cfg = ctx.config.pointer;
  const deadlineMs = cfg.timeout * 1000;
  const attemptMs = cfg.attempt_timeout * 1000;
  const started = ctx.clock.now();
  const common = { clock: ctx.clock, signal: ctx.signal, isRetryable, minDelayMs: 500, maxDelayMs: 10_000 };
  const failures: string[] = [];
  if (cfg.url) {
    const url = cfg.url;
    try {
      return await retry(() => askReleaseServer(url, attemptMs, ctx.signal), {
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
    return await retry(() => askS3(ctx, s3.bucket, s3.key), {
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

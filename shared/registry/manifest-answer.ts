// Reading a registry's answer to a manifest request: the digest (served, or computed from the
// body and checked against what was served), the media type, and the spec's error body.
import { createHash } from "node:crypto";
import type { ImageRef } from "../image-ref/parse.js";
import type { Where } from "./authorizer.js";
import { RegistryError } from "./errors.js";
import { headerValue, type HttpAnswer } from "./http.js";

/** The media type without parameters; "" when the registry sent none. */
export function mediaTypeOf(answer: HttpAnswer): string {
  return (headerValue(answer.headers, "content-type") ?? "").split(";")[0]?.trim() ?? "";
}

/**
 * The digest of a GET answer: the served Docker-Content-Digest (or the reference's own digest),
 * which must be the body's sha256 when it is a sha256; the body's sha256 when nothing is served.
 */
export function digestOfBody(get: HttpAnswer, ref: ImageRef, where: Where): string {
  const computed = `sha256:${createHash("sha256").update(get.body).digest("hex")}`;
  const served = ref.digest ?? headerValue(get.headers, "docker-content-digest");
  if (served === undefined) return computed;
  if (served.startsWith("sha256:") && served !== computed) {
    throw new RegistryError(
      "DigestMismatch",
      `the registry served a manifest whose sha256 is ${computed}, not ${served}: the registry or a proxy altered it`,
      where,
    );
  }
  return served;
}

/** The first entry of the spec's {"errors": [{"code", "message"}]} body, if the body is one. */
export function firstError(body: Buffer): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = parsed.errors?.[0];
    return {
      ...(typeof first?.code === "string" ? { code: first.code } : {}),
      ...(typeof first?.message === "string" ? { message: first.message } : {}),
    };
  } catch {
    return {};
  }
}

/** The "tags" of a /v2/<name>/tags/list body, or undefined when it is not one. */
export function tagsOf(body: Buffer): string[] | undefined {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { tags?: unknown };
    // distribution answers "tags": null for a repository whose tags were all deleted.
    if (parsed.tags === null) return [];
    return Array.isArray(parsed.tags)
      ? parsed.tags.filter((t): t is string => typeof t === "string")
      : undefined;
  } catch {
    return undefined;
  }
}

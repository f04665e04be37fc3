// Small schema builders shared by the four configuration schemas, so that every file speaks the same
// language in its messages ("expected an AMI id like ..., got ...").
import { z } from "zod";
import { describeType, describeValue } from "./describe.js";

/** A string that must match `pattern`; `what` names the expectation, e.g. `an AMI id like "ami-..."`. */
export function matching(pattern: RegExp, what: string) {
  return z.string().regex(pattern, { error: (iss) => `expected ${what}, got ${describeValue(iss.input)}` });
}

export const nonEmpty = () => z.string().min(1);

/** A whole number of seconds (or another unit) no smaller than `min`. */
export const integer = (min: number, max?: number) =>
  max === undefined ? z.number().int().min(min) : z.number().int().min(min).max(max);

export const port = () => integer(1, 65535);

/** A union with one message for values that fit none of its forms. */
export function oneOf<const T extends readonly [z.ZodType, z.ZodType, ...z.ZodType[]]>(
  options: T,
  what: string,
) {
  return z.union(options, {
    error: (iss) => (iss.code === "invalid_union" ? unionMessage(what, iss.input) : undefined),
  });
}

// A string of the wrong form is shown as written; anything else by its kind.
function unionMessage(what: string, input: unknown): string {
  if (input === undefined) return `missing, expected ${what}`;
  return `expected ${what}, got ${typeof input === "string" ? describeValue(input) : describeType(input)}`;
}

/** A mapping from arbitrary keys to values of one schema. */
export const mapping = <V extends z.ZodType>(value: V) => z.record(z.string(), value);

/** An absolute filesystem path. */
export const absolutePath = () => matching(/^\/(?!.*\0)/, 'an absolute path like "/release"');

/** An http:// or https:// URL. */
export const httpUrl = () =>
  z
    .string()
    .refine(isHttpUrl, { error: (iss) => `expected an http(s) URL, got ${describeValue(iss.input)}` });

export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** An S3 object location written `bucket/key`. */
export const s3Location = () =>
  matching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/, 'an S3 location "bucket/key"');

/** The `{bucket, key}` form of an S3 object location. */
export const s3Object = () =>
  z.strictObject({
    bucket: matching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name"),
    key: nonEmpty(),
  });

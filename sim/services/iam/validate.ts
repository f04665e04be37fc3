// IAM's input checks: names, paths and policy documents, with IAM's messages.
import type { ParamReader } from "../../api/params.js";
import { malformedPolicy, validation } from "./errors.js";

const NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\/|\/[\u0021-\u007e]+\/)$/;

function constraint(field: string, value: string, rule: string): never {
  throw validation(
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${rule}`,
  );
}

/** A required name parameter (RoleName, PolicyName, InstanceProfileName), checked as IAM does. */
export function name(params: ParamReader, param: string, max: number): string {
  const field = param[0]!.toLowerCase() + param.slice(1);
  const v = params.str(param);
  if (v === undefined || v === "") throw validation(`The request must contain the parameter ${param}`);
  if (v.length > max) constraint(field, v, `Member must have length less than or equal to ${max}`);
  if (!NAME.test(v)) constraint(field, v, "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
  return v;
}

export function path(params: ParamReader, param = "Path"): string {
  const v = params.str(param) ?? "/";
  if (v.length > 512 || !PATH.test(v))
    constraint(
      "path",
      v,
      "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
    );
  return v;
}

/** A policy document: JSON, an object with a Statement; kept as given. */
export function policyDocument(params: ParamReader, param: string): string {
  const text = params.str(param);
  if (text === undefined || text === "") throw validation(`The request must contain the parameter ${param}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformedPolicy("This policy contains invalid Json");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw malformedPolicy("This policy contains invalid Json");
  if (!("Statement" in doc)) throw malformedPolicy("Syntax errors in policy.");
  return text;
}

/** IAM returns policy documents URL-encoded (RFC 3986), as the SDKs leave them. */
export const encodeDocument = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

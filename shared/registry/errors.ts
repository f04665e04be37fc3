// The one error class of registry access: the reference, the registry, the HTTP status and the
// registry's own error code (distribution spec, "Error Codes"), with a message naming the next step.
import { AsgReleaseError, type ErrorContext } from "../errors.js";

/** Error codes of the distribution spec this module explains; others are passed through. */
export type RegistryErrorCode =
  "MANIFEST_UNKNOWN" | "NAME_UNKNOWN" | "UNAUTHORIZED" | "DENIED" | "TOOMANYREQUESTS" | (string & {});

export interface RegistryErrorDetails {
  /** The image reference as people write it: "127.0.0.1:5000/team/app:2". */
  reference: string;
  /** The registry as written in the reference ("docker.io" for Docker Hub). */
  registry: string;
  status?: number;
  registryCode?: RegistryErrorCode;
  /** The registry's own message, when it gave one. */
  detail?: string;
  /** Whether another attempt may succeed (5xx, 429, network errors). */
  retryable?: boolean;
  /** exit 2: the user must change the model, the configuration or the credentials. */
  exitCode?: number;
  cause?: unknown;
}

export class RegistryError extends AsgReleaseError {
  readonly reference: string;
  readonly registry: string;
  readonly status: number | undefined;
  readonly registryCode: string | undefined;
  readonly retryable: boolean;
  /** The message after "resolve image digest: <reference>: ". */
  readonly reason: string;

  constructor(code: string, reason: string, details: RegistryErrorDetails) {
    const context: ErrorContext = {
      reference: details.reference,
      registry: details.registry,
      status: details.status,
      registryCode: details.registryCode,
    };
    super(`resolve image digest: ${details.reference}: ${reason}`, {
      code,
      exitCode: details.exitCode ?? 1,
      context,
      cause: details.cause,
    });
    this.reference = details.reference;
    this.registry = details.registry;
    this.status = details.status;
    this.registryCode = details.registryCode;
    this.retryable = details.retryable ?? false;
    this.reason = reason;
  }
}

/** The last error of a retried request, saying how many attempts were made. */
export function afterAttempts(err: RegistryError, attempts: number): RegistryError {
  return new RegistryError(err.code, `${err.reason} (gave up after ${attempts} attempts)`, {
    reference: err.reference,
    registry: err.registry,
    status: err.status,
    registryCode: err.registryCode,
    exitCode: err.exitCode,
    retryable: err.retryable,
    cause: err,
  });
}

export function isRetryableRegistryError(err: unknown): boolean {
  return err instanceof RegistryError && err.retryable;
}

/** "HTTP 404 MANIFEST_UNKNOWN: manifest unknown", the part of a message that says what the registry answered. */
function answer(status: number, registryCode: string | undefined, detail: string | undefined): string {
  const code = registryCode ? ` ${registryCode}` : "";
  return `HTTP ${status}${code}${detail ? `: ${detail}` : ""}`;
}

const TAGS_SHOWN = 10;

function tagsHint(repository: string, tags: readonly string[] | undefined): string {
  if (tags === undefined) return "";
  if (tags.length === 0) return `; ${repository} has no tags`;
  const more = tags.length > TAGS_SHOWN ? ` and ${tags.length - TAGS_SHOWN} more` : "";
  return `; ${repository} has ${tags.slice(0, TAGS_SHOWN).join(", ")}${more}`;
}

/** The error for a final non-2xx answer, with the next step for each kind of refusal. */
export function registryErrorFor(
  where: { reference: string; registry: string; repository: string },
  status: number,
  registryCode: string | undefined,
  detail: string | undefined,
  /** The tags the repository has, when known: named in a "check the tag" message. */
  tags?: readonly string[],
): RegistryError {
  const base = { ...where, status, registryCode, detail };
  const said = answer(status, registryCode, detail);
  const escape = "or set image_check_type: none";
  if (registryCode === "NAME_UNKNOWN") {
    return new RegistryError("ImageNotFound", `repository not found (${said}): check the repository name`, {
      ...base,
      exitCode: 2,
    });
  }
  if (status === 404 || registryCode === "MANIFEST_UNKNOWN") {
    return new RegistryError(
      "ImageNotFound",
      `not found (${said}): check the tag${tagsHint(where.repository, tags)}`,
      {
        ...base,
        exitCode: 2,
      },
    );
  }
  if (status === 401 || registryCode === "UNAUTHORIZED") {
    return new RegistryError(
      "RegistryUnauthorized",
      `unauthorised (${said}): log in with docker login ${where.registry} ${escape}`,
      { ...base, exitCode: 2 },
    );
  }
  if (status === 403 || registryCode === "DENIED") {
    return new RegistryError(
      "RegistryDenied",
      `access denied (${said}): use credentials allowed to pull ${where.repository} ${escape}`,
      { ...base, exitCode: 2 },
    );
  }
  const retryable = status === 429 || status >= 500;
  const next = retryable ? "the registry is busy or failing, try again later" : "check the registry address";
  return new RegistryError("RegistryFailed", `registry answered ${said}: ${next}`, { ...base, retryable });
}

// Connection-level failures worth another attempt; DNS "not found", TLS and aborts are not.
const TRANSIENT = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

/** The error for a request that got no usable answer at all. */
export function transportErrorFor(
  where: { reference: string; registry: string },
  url: string,
  err: unknown,
): RegistryError {
  const code = (err as { code?: unknown }).code;
  if (code === "BODY_TOO_LARGE") {
    return new RegistryError(
      "RegistryFailed",
      `${url} answered with more than a manifest can hold: check the registry address`,
      {
        ...where,
        cause: err,
      },
    );
  }
  const reason = `${typeof code === "string" ? `${code}: ` : ""}${(err as Error).message ?? String(err)}`;
  const tls = typeof code === "string" && /SSL|TLS|CERT|EPROTO/.test(code);
  const next = tls
    ? `check the registry's certificate, or list ${where.registry} as an insecure registry if it serves plain HTTP`
    : "check that the registry is up and its address is right";
  return new RegistryError("RegistryUnreachable", `cannot reach ${url}: ${reason}: ${next}`, {
    ...where,
    retryable: typeof code === "string" && TRANSIENT.has(code),
    cause: err,
  });
}

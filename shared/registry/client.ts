// Resolves an image reference to its manifest digest through the registry HTTP API v2
// (distribution spec, "Pulling manifests"): HEAD /v2/<name>/manifests/<tag> and its
// Docker-Content-Digest; GET when HEAD gives no digest (the digest is then the sha256 of the body)
// or fails (only a body carries the registry's error code). 5xx, 429 and connection failures are
// retried with jittered backoff; 401 challenges are answered once per request.
import { Agent, type Dispatcher } from "undici";
import { familiarImageRef } from "../image-ref/format.js";
import type { ImageRef } from "../image-ref/parse.js";
import { systemClock, type Clock } from "../poll.js";
import { createAuthorizer, type Where } from "./authorizer.js";
import { isRetryableRegistryError, registryErrorFor, transportErrorFor } from "./errors.js";
import { headerValue, undiciSend, type HttpAnswer } from "./http.js";
import { digestOfBody, firstError, mediaTypeOf, tagsOf } from "./manifest-answer.js";
import type { CredentialSource } from "./load-credentials.js";
import { withRetries, type RegistryRetryOptions } from "./retries.js";
import { registryBaseUrl } from "./scheme.js";
import { chooseChallenge, parseWwwAuthenticate } from "./www-authenticate.js";

/** OCI index and manifest first, then Docker's manifest list and v2: a multi-arch tag answers with its index. */
export const MANIFEST_ACCEPT = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

export interface ResolvedDigest {
  /** "sha256:<64 hex>" */
  digest: string;
  /** The manifest's media type as served (Content-Type), "" when the registry sent none. */
  mediaType: string;
}

export interface RegistryClientOptions {
  /** Asked only when a registry answers 401; anonymous access otherwise. */
  credentials?: CredentialSource;
  /** "host:port" or "host" entries spoken to over plain HTTP (loopback registries always are). */
  insecureRegistries?: readonly string[];
  /** Per request: connecting, waiting for headers, and between body chunks. Default 30 s. */
  timeoutMs?: number;
  retry?: RegistryRetryOptions;
  clock?: Clock;
  /** Replaces the client's own connection pool (a proxy agent, say); the caller then closes it. */
  dispatcher?: Dispatcher;
}

export interface RegistryClient {
  resolveDigest(ref: ImageRef, opts?: { signal?: AbortSignal }): Promise<ResolvedDigest>;
  /** Closes the client's connections; pending calls finish first. */
  close(): Promise<void>;
}

export function createRegistryClient(opts: RegistryClientOptions = {}): RegistryClient {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const clock = opts.clock ?? systemClock;
  const dispatcher = opts.dispatcher ?? new Agent({ connect: { timeout: timeoutMs } });
  const send = undiciSend(dispatcher, timeoutMs);
  const authorizer = createAuthorizer({
    http: send,
    credentials: opts.credentials ?? (async () => undefined),
    clock,
  });

  // One request, answering a 401 challenge once: with a cached header a 401 means it has expired.
  async function exchange(
    method: "GET" | "HEAD",
    url: string,
    ref: ImageRef,
    where: Where,
    signal?: AbortSignal,
    accept = MANIFEST_ACCEPT,
  ) {
    const call = async (authorization: string | undefined): Promise<HttpAnswer> => {
      const headers: Record<string, string> = { accept };
      if (authorization) headers.authorization = authorization;
      try {
        return await send({ method, url, headers }, signal);
      } catch (err) {
        throw transportErrorFor(where, url, err);
      }
    };
    const first = await call(authorizer.cached(ref));
    if (first.status !== 401) return first;
    const challenge = chooseChallenge(parseWwwAuthenticate(first.headers["www-authenticate"]));
    const authorization = challenge && (await authorizer.answer(challenge, ref, where, signal));
    return authorization ? call(authorization) : first;
  }

  async function resolveOnce(ref: ImageRef, where: Where, signal?: AbortSignal): Promise<ResolvedDigest> {
    const base = `${registryBaseUrl(ref, opts.insecureRegistries)}/v2/${ref.path}`;
    const url = `${base}/manifests/${ref.digest ?? ref.tag ?? "latest"}`;
    const head = await exchange("HEAD", url, ref, where, signal);
    if (isOk(head.status)) {
      // A digest reference names its content: the HEAD only checks that the registry has it.
      if (ref.digest) return { digest: ref.digest, mediaType: mediaTypeOf(head) };
      const digest = headerValue(head.headers, "docker-content-digest");
      if (digest) return { digest, mediaType: mediaTypeOf(head) };
    } else if (head.status === 429 || head.status >= 500) {
      throw registryErrorFor(where, head.status, undefined, undefined);
    }
    const get = await exchange("GET", url, ref, where, signal);
    if (isOk(get.status)) return { digest: digestOfBody(get, ref, where), mediaType: mediaTypeOf(get) };
    const { code, message } = firstError(get.body);
    if (get.status !== 404 || code === "NAME_UNKNOWN" || ref.digest) {
      throw registryErrorFor(where, get.status, code, message);
    }
    // distribution answers MANIFEST_UNKNOWN for a repository that does not exist as well: its tag
    // list tells the two apart, and names the tags there are for the "check the tag" message. Best
    // effort: when the list cannot be had, the manifest's own answer is the error.
    const tags = await exchange("GET", `${base}/tags/list`, ref, where, signal, "application/json").catch(
      () => undefined,
    );
    const missing = tags?.status === 404 ? firstError(tags.body) : {};
    if (missing.code === "NAME_UNKNOWN") throw registryErrorFor(where, 404, missing.code, missing.message);
    throw registryErrorFor(
      where,
      404,
      code,
      message,
      tags && isOk(tags.status) ? tagsOf(tags.body) : undefined,
    );
  }

  return {
    async resolveDigest(ref, call = {}) {
      const where: Where = { reference: familiarImageRef(ref), registry: ref.domain, repository: ref.path };
      return withRetries(() => resolveOnce(ref, where, call.signal), isRetryableRegistryError, {
        ...opts.retry,
        what: `the manifest of ${where.reference}`,
        clock,
        signal: call.signal,
      });
    },
    async close() {
      if (!opts.dispatcher) await dispatcher.close();
    },
  };
}

const isOk = (status: number) => status >= 200 && status < 300;

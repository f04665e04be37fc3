// Answers a registry's 401 (distribution spec, "Token Authentication"): for Bearer, a token from
// the challenge's realm for scope repository:<name>:pull, asked with the stored login when there is
// one (anonymous otherwise); for Basic, the stored login itself. Headers are cached per repository
// until the token expires, so resolving many images of one repository costs one token.
import type { ImageRef } from "../image-ref/parse.js";
import type { Clock } from "../poll.js";
import type { BasicCredentials } from "./auth-files.js";
import { RegistryError, registryErrorFor, transportErrorFor } from "./errors.js";
import type { HttpSend } from "./http.js";
import type { CredentialSource } from "./load-credentials.js";
import type { AuthChallenge } from "./www-authenticate.js";

export interface Where {
  reference: string;
  registry: string;
  repository: string;
}

export interface Authorizer {
  /** The Authorization header learnt from an earlier challenge for this repository, if still valid. */
  cached(ref: ImageRef): string | undefined;
  /** The header answering `challenge`; undefined when there is nothing to answer a Basic one with. */
  answer(
    challenge: AuthChallenge,
    ref: ImageRef,
    where: Where,
    signal?: AbortSignal,
  ): Promise<string | undefined>;
}

/** The spec's default when a token server gives no expires_in. */
const DEFAULT_TOKEN_SECONDS = 60;

const basic = (c: BasicCredentials) =>
  `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;

export function createAuthorizer(deps: {
  /** The registry client's HTTP transport. */
  http: HttpSend;
  credentials: CredentialSource;
  clock: Clock;
}): Authorizer {
  const headers = new Map<string, { value: string; until: number }>();
  const keyOf = (ref: ImageRef) => `${ref.domain}/${ref.path}`;

  async function bearer(challenge: AuthChallenge, ref: ImageRef, where: Where, signal?: AbortSignal) {
    const realm = challenge.params.realm ?? "";
    let url: URL;
    try {
      url = new URL(realm);
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new RegistryError("RegistryFailed", `the realm ${url.href} is not http(s)`, where);
      }
    } catch {
      throw new RegistryError(
        "RegistryFailed",
        `the registry's Bearer challenge has no usable realm (${JSON.stringify(realm)})`,
        where,
      );
    }
    if (challenge.params.service) url.searchParams.set("service", challenge.params.service);
    url.searchParams.set("scope", `repository:${ref.path}:pull`);
    const credentials = await deps.credentials(ref);
    let answer;
    try {
      answer = await deps.http(
        { method: "GET", url: url.href, headers: credentials ? { authorization: basic(credentials) } : {} },
        signal,
      );
    } catch (err) {
      throw transportErrorFor(where, url.origin + url.pathname, err);
    }
    if (answer.status !== 200) {
      const who = credentials ? "the stored credentials" : "anonymous access";
      const detail = `the token service ${url.origin}${url.pathname} refused ${who}`;
      throw registryErrorFor(
        where,
        answer.status,
        answer.status === 401 ? "UNAUTHORIZED" : undefined,
        detail,
      );
    }
    return parseToken(answer.body, where, deps.clock.now());
  }

  return {
    cached(ref) {
      const hit = headers.get(keyOf(ref));
      return hit && hit.until > deps.clock.now() ? hit.value : undefined;
    },
    async answer(challenge, ref, where, signal) {
      if (challenge.scheme === "bearer") {
        const token = await bearer(challenge, ref, where, signal);
        headers.set(keyOf(ref), token);
        return token.value;
      }
      const credentials = await deps.credentials(ref);
      if (!credentials) return undefined;
      const value = basic(credentials);
      headers.set(keyOf(ref), { value, until: Number.POSITIVE_INFINITY });
      return value;
    },
  };
}

/** {"token": ...} or OAuth2's {"access_token": ...}, with expires_in seconds (minus a margin for the clock). */
export function parseToken(body: Buffer, where: Where, now: number): { value: string; until: number } {
  let data: { token?: unknown; access_token?: unknown; expires_in?: unknown } = {};
  try {
    data = JSON.parse(body.toString("utf8")) as typeof data;
  } catch {
    // reported below as a missing token
  }
  const token = typeof data.token === "string" && data.token ? data.token : data.access_token;
  if (typeof token !== "string" || token === "") {
    throw new RegistryError("RegistryFailed", "the token service answered without a token", where);
  }
  const seconds =
    typeof data.expires_in === "number" && data.expires_in > 0 ? data.expires_in : DEFAULT_TOKEN_SECONDS;
  return { value: `Bearer ${token}`, until: now + Math.max(0, seconds - 10) * 1000 };
}

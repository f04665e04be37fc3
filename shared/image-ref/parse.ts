// Parses a Docker image reference the way `docker pull` reads it (distribution/reference
// ParseNormalizedNamed): registry domain (or Docker Hub), repository path, tag, digest. Pure: the same
// parser validates the application model and, later, drives digest resolution against a registry.
import { digestProblem } from "./digest.js";
import {
  defaultDomain,
  domainPattern,
  identifierPattern,
  legacyDefaultDomain,
  officialRepoPrefix,
  pathMax,
  remoteNamePattern,
  tagPattern,
} from "./grammar.js";

export interface ImageRef {
  /** Registry host[:port]; "docker.io" for familiar names. */
  domain: string;
  /** Repository path in that registry; Docker Hub official images get "library/". */
  path: string;
  tag?: string;
  digest?: string;
}

export type ImageRefResult = { ok: true; ref: ImageRef } | { ok: false; problem: string };

const fail = (problem: string): ImageRefResult => ({ ok: false, problem });

export function parseImageRef(input: string): ImageRefResult {
  if (input === "") return fail("repository name must have at least one component");
  if (identifierPattern.test(input)) {
    return fail("a 64-character hexadecimal string is an image id, not a reference");
  }
  const at = input.indexOf("@");
  const named = at === -1 ? input : input.slice(0, at);
  const digest = at === -1 ? undefined : input.slice(at + 1);
  if (digest !== undefined) {
    const problem = digestProblem(digest);
    if (problem) return fail(problem);
  }
  // A tag follows the last ":" that comes after the last "/" (an earlier ":" is a registry port).
  const colon = named.lastIndexOf(":");
  const hasTag = colon > named.lastIndexOf("/");
  const name = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? named.slice(colon + 1) : undefined;
  if (tag !== undefined && !tagPattern.test(tag)) {
    return fail(
      `invalid tag ${JSON.stringify(tag)}: expected up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"`,
    );
  }
  const { domain, path } = splitDomain(name);
  if (domain !== defaultDomain && !domainPattern.test(domain)) {
    return fail(`invalid registry host ${JSON.stringify(domain)}`);
  }
  if (path !== path.toLowerCase()) return fail(`repository name ${JSON.stringify(path)} must be lowercase`);
  if (!remoteNamePattern.test(path)) {
    return fail(
      `invalid repository name ${JSON.stringify(path)}: expected lowercase letters and digits, separated by "/", ".", "_", "__" or "-"`,
    );
  }
  // Docker Hub's official images live under "library/" (checked as written, stored normalised).
  const fullPath = domain === defaultDomain && !path.includes("/") ? officialRepoPrefix + path : path;
  if (fullPath.length > pathMax) return fail(`repository name must not be more than ${pathMax} characters`);
  const ref: ImageRef = { domain, path: fullPath };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return { ok: true, ref };
}

// distribution/reference splitDockerDomain: the first component is a registry when it is
// "localhost", contains "." or ":", or has uppercase letters (repository paths cannot).
function splitDomain(name: string): { domain: string; path: string } {
  const slash = name.indexOf("/");
  let domain = defaultDomain;
  let path = name;
  if (slash !== -1) {
    const first = name.slice(0, slash);
    if (first === "localhost" || /[.:]/.test(first) || first !== first.toLowerCase()) {
      domain = first === legacyDefaultDomain ? defaultDomain : first;
      path = name.slice(slash + 1);
    }
  }
  return { domain, path };
}

// Registry credentials as `docker login` and `podman login` store them (config.json and auth.json
// share one format: containers-auth.json(5)): which files, in which order, and which entry of a
// file applies to an image. Pure; load-credentials.ts does the reading.
import { join } from "node:path";
import { AsgReleaseError } from "../errors.js";
import { defaultDomain } from "../image-ref/grammar.js";
import type { ImageRef } from "../image-ref/parse.js";

export interface BasicCredentials {
  username: string;
  password: string;
}

export interface AuthFile {
  path: string;
  /** Keyed by normalised registry ("127.0.0.1:5000", "docker.io") or podman's "registry/namespace". */
  auths: Map<string, BasicCredentials>;
  /** Registry -> helper name, run as docker-credential-<name>. */
  credHelpers: Map<string, string>;
  credsStore?: string;
}

/** One way to get credentials for an image, most specific first. */
export type CredentialCandidate =
  | { kind: "basic"; credentials: BasicCredentials; path: string }
  | { kind: "helper"; helper: string; serverUrl: string; path: string };

/** The key Docker stores Docker Hub logins under, and passes to credential helpers. */
const dockerHubServerUrl = "https://index.docker.io/v1/";
const dockerHubAliases = new Set(["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);

/**
 * Podman's search order (containers-auth.json(5)): REGISTRY_AUTH_FILE alone when set, else
 * $XDG_RUNTIME_DIR/containers/auth.json and $XDG_CONFIG_HOME/containers/auth.json; then Docker's
 * $DOCKER_CONFIG/config.json (~/.docker by default). Podman is the container tool of the release
 * hosts, so its own files come first, as podman itself reads them.
 */
export function authFilePaths(env: Record<string, string | undefined>, home: string): string[] {
  const paths: string[] = [];
  if (env.REGISTRY_AUTH_FILE) paths.push(env.REGISTRY_AUTH_FILE);
  else {
    if (env.XDG_RUNTIME_DIR) paths.push(join(env.XDG_RUNTIME_DIR, "containers", "auth.json"));
    paths.push(join(env.XDG_CONFIG_HOME || join(home, ".config"), "containers", "auth.json"));
  }
  paths.push(join(env.DOCKER_CONFIG || join(home, ".docker"), "config.json"));
  return paths;
}

/**
 * "https://index.docker.io/v1/" -> "docker.io"; "https://host:5000/v2/" -> "host:5000" (Docker's
 * ConvertToHostname drops everything after the host when a scheme is written); podman's
 * "host/namespace" keys keep their path.
 */
export function normaliseAuthKey(key: string): string {
  const schemeless = key.replace(/^https?:\/\//, "");
  let name = schemeless === key ? key.replace(/\/+$/, "") : (schemeless.split("/")[0] ?? "");
  const slash = name.indexOf("/");
  const host = slash === -1 ? name : name.slice(0, slash);
  if (dockerHubAliases.has(host)) name = defaultDomain + (slash === -1 ? "" : name.slice(slash));
  return name;
}

const fileError = (path: string, problem: string) =>
  new AsgReleaseError(`read registry credentials: ${path}: ${problem}: fix the file or log in again`, {
    code: "AuthFileInvalid",
    exitCode: 2,
    context: { file: path },
  });

function decodeAuth(path: string, key: string, entry: Record<string, unknown>): BasicCredentials | undefined {
  if (typeof entry.auth === "string" && entry.auth !== "") {
    const plain = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = plain.indexOf(":");
    if (colon <= 0) throw fileError(path, `auths.${key}.auth is not base64 of "user:password"`);
    return { username: plain.slice(0, colon), password: plain.slice(colon + 1) };
  }
  // Older Docker versions and hand-written files spell the two parts out.
  if (typeof entry.username === "string" && typeof entry.password === "string") {
    return { username: entry.username, password: entry.password };
  }
  return undefined; // an empty entry: the credentials are in a credsStore
}

export function parseAuthFile(text: string, path: string): AuthFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw fileError(path, `not valid JSON (${(err as Error).message})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw fileError(path, "not a JSON object");
  const doc = data as Record<string, unknown>;
  const file: AuthFile = { path, auths: new Map(), credHelpers: new Map() };
  for (const [key, entry] of Object.entries(objectAt(doc, "auths", path))) {
    if (typeof entry !== "object" || entry === null) throw fileError(path, `auths.${key} is not an object`);
    const credentials = decodeAuth(path, key, entry as Record<string, unknown>);
    if (credentials) file.auths.set(normaliseAuthKey(key), credentials);
  }
  for (const [key, helper] of Object.entries(objectAt(doc, "credHelpers", path))) {
    if (typeof helper === "string" && helper !== "") file.credHelpers.set(normaliseAuthKey(key), helper);
  }
  if (typeof doc.credsStore === "string" && doc.credsStore !== "") file.credsStore = doc.credsStore;
  return file;
}

function objectAt(doc: Record<string, unknown>, key: string, path: string): Record<string, unknown> {
  const value = doc[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw fileError(path, `${key} is not an object`);
  return value as Record<string, unknown>;
}

/** "host/a/b/c" -> ["host/a/b/c", "host/a/b", "host/a", "host"]: podman's most-specific-first lookup. */
export function authKeysFor(ref: ImageRef): string[] {
  const parts = ref.path.split("/");
  const keys: string[] = [];
  for (let n = parts.length; n > 0; n--) keys.push(`${ref.domain}/${parts.slice(0, n).join("/")}`);
  keys.push(ref.domain);
  return keys;
}

/**
 * The ways this file offers to authenticate for `ref`, in Docker's order: a credHelpers entry for
 * the registry, then the credsStore, then the stored auths (most specific key first).
 */
export function credentialCandidates(file: AuthFile, ref: ImageRef): CredentialCandidate[] {
  const serverUrl = ref.domain === defaultDomain ? dockerHubServerUrl : ref.domain;
  const out: CredentialCandidate[] = [];
  const helper = file.credHelpers.get(ref.domain);
  if (helper) out.push({ kind: "helper", helper, serverUrl, path: file.path });
  if (file.credsStore) out.push({ kind: "helper", helper: file.credsStore, serverUrl, path: file.path });
  for (const key of authKeysFor(ref)) {
    const credentials = file.auths.get(key);
    if (credentials) out.push({ kind: "basic", credentials, path: file.path });
  }
  return out;
}

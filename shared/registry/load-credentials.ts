// Where the client's credentials come from: ECR's API for ECR registries, else the first login
// file that has an entry for the image (podman's auth.json, then Docker's config.json), through a
// credential helper when the file names one. Looked up only when a registry asks (a 401).
import { readFile } from "node:fs/promises";
import { AsgReleaseError } from "../errors.js";
import type { ImageRef } from "../image-ref/parse.js";
import { run as runProcess, type Run } from "../proc/run.js";
import {
  authFilePaths,
  credentialCandidates,
  parseAuthFile,
  type AuthFile,
  type BasicCredentials,
} from "./auth-files.js";
import { credentialsFromHelper } from "./cred-helper.js";
import { ecrCredentials, parseEcrHost, type GetEcrAuthorization } from "./ecr.js";

/** What the registry client asks when a registry wants credentials; undefined = none known. */
export type CredentialSource = (ref: ImageRef) => Promise<BasicCredentials | undefined>;

export interface CredentialDeps {
  /** The environment (DOCKER_CONFIG, REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, XDG_CONFIG_HOME). */
  env: Record<string, string | undefined>;
  /** The home directory, for ~/.docker and ~/.config. */
  home: string;
  /** Runs credential helpers; the product's runner by default. */
  run?: Run;
  /** ECR tokens; without it ECR registries fall back to the login files like any other. */
  ecr?: GetEcrAuthorization;
}

async function readAuthFile(path: string): Promise<AuthFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new AsgReleaseError(`read registry credentials: ${path}: ${(err as Error).message}`, {
      code: "AuthFileUnreadable",
      context: { file: path },
      cause: err,
    });
  }
  return parseAuthFile(text, path);
}

export function registryCredentials(deps: CredentialDeps): CredentialSource {
  const run = deps.run ?? runProcess;
  return async (ref) => {
    const ecr = parseEcrHost(ref.domain);
    if (ecr && deps.ecr) return ecrCredentials(deps.ecr, ecr);
    for (const path of authFilePaths(deps.env, deps.home)) {
      const file = await readAuthFile(path);
      if (!file) continue;
      for (const candidate of credentialCandidates(file, ref)) {
        if (candidate.kind === "basic") return candidate.credentials;
        const found = await credentialsFromHelper(run, candidate.helper, candidate.serverUrl);
        if (found) return found;
      }
    }
    return undefined;
  };
}

/** A fixed set of credentials by registry ("127.0.0.1:5000"), for callers that hold them already. */
export function staticCredentials(byRegistry: Record<string, BasicCredentials>): CredentialSource {
  return async (ref) => byRegistry[ref.domain];
}

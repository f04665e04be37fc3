// The image check (docs/spec/deploy.md#image-check-type) as a port: `none` resolves nothing and compares
// image ids as text; `docker` validates every image and returns its registry digest, which is
// stored on the group and compared on the next state load (versions.ts).
import type { AwsClients } from "../../shared/aws/clients.js";
import { createRegistryClient, type RegistryClient } from "../../shared/registry/client.js";
import { ecrAuthorizationFromClient } from "../../shared/registry/ecr.js";
import { RegistryError } from "../../shared/registry/errors.js";
import { registryCredentials } from "../../shared/registry/load-credentials.js";
import { imageResolver } from "../../shared/registry/resolver.js";
import type { ImageCheckType, RegistryDigests } from "./plan/versions.js";

export interface ImageResolver {
  readonly kind: ImageCheckType;
  /** The digest of each image (docker); fails when a model image cannot be resolved. */
  resolve(modelImages: readonly string[], runningImages: readonly string[]): Promise<RegistryDigests>;
  /** Releases the registry connections. */
  close(): Promise<void>;
}

export const noneResolver: ImageResolver = {
  kind: "none",
  resolve: () => Promise.resolve({}),
  close: () => Promise.resolve(),
};

/** One resolver per command run: the AWS clients are those of the run's region (ECR tokens). */
export type ImageResolverFactory = (check: ImageCheckType, aws: AwsClients) => ImageResolver;

/**
 * A running image whose tag its registry no longer has: no stored digest equals this, so the
 * version reads as `unknown` (what runs cannot be what the id names now).
 */
export const GONE_FROM_REGISTRY = "";

/** Over a registry client; the caller's `close` closes the client. */
export function dockerResolver(client: RegistryClient): ImageResolver {
  const shared = imageResolver({ type: "docker", client });
  return {
    kind: "docker",
    async resolve(modelImages, runningImages) {
      const digests: Record<string, string | undefined> = {};
      // Model images must exist: a missing one fails the plan before any change.
      for (const image of new Set(modelImages)) digests[image] = (await shared.resolve(image)).digest;
      for (const image of new Set(runningImages)) {
        if (image in digests) continue;
        try {
          digests[image] = (await shared.resolve(image)).digest;
        } catch (err) {
          if (!(err instanceof RegistryError && err.code === "ImageNotFound")) throw err;
          digests[image] = GONE_FROM_REGISTRY;
        }
      }
      return digests;
    },
    close: () => client.close(),
  };
}

export interface RegistryDeps {
  /** DOCKER_CONFIG, REGISTRY_AUTH_FILE, XDG_* for the login files. */
  env: Record<string, string | undefined>;
  home: string;
}

/** The production factory: anonymous, bearer and basic auth from the login files, ECR tokens. */
export function registryResolvers(deps: RegistryDeps): ImageResolverFactory {
  return (check, aws) =>
    check === "none"
      ? noneResolver
      : dockerResolver(
          createRegistryClient({
            credentials: registryCredentials({
              env: deps.env,
              home: deps.home,
              ecr: ecrAuthorizationFromClient(aws.ecr),
            }),
          }),
        );
}

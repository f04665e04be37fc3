// The image check of seed 000 (image_check_type) as a port: `none` resolves nothing and compares
// image ids as text; `docker` validates every image and returns its registry digest, which is
// stored on the group and compared on the next state load (versions.ts).
import { AsgReleaseError } from "../../shared/errors.js";
import type { ImageCheckType, RegistryDigests } from "./versions.js";

export interface ImageResolver {
  readonly kind: ImageCheckType;
  /** The digest of each image (docker); fails when a model image cannot be resolved. */
  resolve(modelImages: readonly string[], runningImages: readonly string[]): Promise<RegistryDigests>;
}

export const noneResolver: ImageResolver = {
  kind: "none",
  resolve: () => Promise.resolve({}),
};

export type ImageResolverFactory = (check: ImageCheckType) => ImageResolver;

/** Until a registry-backed resolver is wired in, `docker` stops before any change with a clear message. */
export const defaultResolvers: ImageResolverFactory = (check) =>
  check === "none"
    ? noneResolver
    : {
        kind: "docker",
        resolve: () =>
          Promise.reject(
            new AsgReleaseError(
              "image_check_type: docker needs the registry digest resolver, which this build does not include; set image_check_type: none to compare image ids as text",
              { code: "ImageCheckUnavailable", exitCode: 2 },
            ),
          ),
      };

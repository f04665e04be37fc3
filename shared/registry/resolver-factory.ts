// The production image resolvers: per run, `none` or a registry client with anonymous, bearer and
// basic auth from the login files and ECR tokens through the run's AWS clients.
import type { AwsClients } from "../aws/clients.js";
import { createRegistryClient } from "./client.js";
import { ecrAuthorizationFromClient } from "./ecr.js";
import { registryCredentials } from "./load-credentials.js";
import { dockerResolver, noneResolver, type ImageCheckType, type ImageResolver } from "./resolver.js";

/** One resolver per command run: the AWS clients are those of the run's region (ECR tokens). */
export type ImageResolverFactory = (check: ImageCheckType, aws: Pick<AwsClients, "ecr">) => ImageResolver;

export interface RegistryDeps {
  /** DOCKER_CONFIG, REGISTRY_AUTH_FILE, XDG_* for the login files. */
  env: Record<string, string | undefined>;
  home: string;
}

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

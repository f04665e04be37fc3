// What the model and the environment ask for, per component: image, replicas, load balancers (the
// model's load_balancer gateways through the environment's `lb` bindings), and how it is replaced.
import type { Ec2AsgConfig, LbBinding } from "#shared/config/ec2-asg-schema.js";
import { gatewayTargets, type Model } from "#shared/config/model.js";
import type { RegistryDigests } from "#shared/registry/resolver.js";
import type { Operation } from "./actions.js";

export interface DeployRequest {
  project: string;
  config: Ec2AsgConfig;
  limitedPermissions: boolean;
  /** Absent for a destroy of everything the project has. */
  model?: Model;
  operation: Operation;
  /** Now, in ms since the epoch: kept slots whose time has passed are retired. Absent: none has. */
  now?: number;
  replaceAll: boolean;
  forceReplace: string[];
  /**
   * Replacements get the environment's launch settings instead of the running ones
   * (docs/spec/deploy.md#same-image-reconfigure, lifted on request: docs/spec/deploy.md#diff-reconfigure).
   * Only with replaceAll/forceReplace.
   */
  reconfigure?: boolean;
  /** Digests the image resolver found, for the model's images and the running ones. */
  digests: RegistryDigests;
}

export interface DesiredComponent {
  name: string;
  image: string;
  digest?: string;
  replicas: number;
  /** Keys of `lb` (gateway names) whose binding is set, in gateway order. */
  lbKeys: string[];
  forced: boolean;
}

export function desiredComponents(request: DeployRequest): DesiredComponent[] {
  const model = request.model;
  if (!model || request.operation !== "deploy") return [];
  return Object.entries(model.components).map(([name, component]) => ({
    name,
    image: component.image,
    digest: request.digests[component.image] ?? undefined,
    replicas: component.singleton ? Math.min(component.replicas, 1) : component.replicas,
    lbKeys: Object.entries(model.gateways)
      .filter(([, g]) => g.type === "load_balancer" && gatewayTargets(g).includes(name))
      .map(([gateway]) => gateway)
      .filter((gateway) => boundLb(request.config, gateway) !== undefined),
    forced: request.replaceAll || request.forceReplace.includes(name),
  }));
}

/** The binding of a gateway, or undefined when absent or null (docs/spec/deploy.md#lb-null). */
export function boundLb(config: Ec2AsgConfig, key: string): LbBinding | undefined {
  const binding = config.lb[key];
  return binding === null || binding === undefined ? undefined : binding;
}

/** The key observe.ts stores a binding's load balancer under: the classic name or the target group as written. */
export function lbLookupKey(binding: LbBinding): string {
  return typeof binding === "string" ? binding : binding.target_group;
}

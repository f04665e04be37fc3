// Pre-flight checks that need no call beyond the state already read (docs/spec/deploy.md#lb): every bound
// load balancer exists in the region and the VPC (docs/spec/deploy.md#lb-preflight), and each target group's
// zones cover the zones the component's instances can run in (docs/spec/deploy.md#lb-zones).
import { componentSettings } from "#shared/config/component-settings.js";
import type { DesiredComponent } from "../desired.js";
import { boundLb, lbLookupKey } from "../desired.js";
import { resolveSubnets } from "./network.js";
import type { PlanContext } from "./context.js";

/** Problems go to the context; the warnings are returned. */
export function checkLoadBalancers(ctx: PlanContext, components: DesiredComponent[]): string[] {
  const warnings: string[] = [];
  const { config } = ctx.request;
  const vpcId = ctx.observed.network?.vpcId;
  for (const key of Object.keys(config.lb)) {
    const binding = boundLb(config, key);
    if (binding === undefined) continue;
    const lb = ctx.observed.lbs[lbLookupKey(binding)];
    const what =
      typeof binding === "string"
        ? `classic load balancer "${binding}"`
        : `target group "${binding.target_group}"`;
    if (!lb) {
      // docs/spec/deploy.md#lb-preflight: a binding to a load balancer that is not there fails the pre-flight
      // check.
      ctx.problems.push(
        `lb.${key}: ${what} does not exist in ${ctx.observed.region}; set lb.${key} to null where it is absent`,
      );
      continue;
    }
    if (vpcId !== undefined && lb.vpcId !== undefined && lb.vpcId !== vpcId) {
      ctx.problems.push(`lb.${key}: ${what} is in ${lb.vpcId}, not in the deploy VPC ${vpcId}`);
    }
    if (
      lb.kind === "targetGroup" &&
      typeof binding !== "string" &&
      lb.port !== undefined &&
      lb.port !== binding.port
    ) {
      warnings.push(
        `lb.${key}: port ${binding.port} differs from the port of target group ${lb.name} (${lb.port}); Auto Scaling registers instances on the target group's port`,
      );
    }
  }
  for (const desired of components) {
    const zones = componentZones(ctx, desired.name);
    if (zones.length === 0) continue;
    for (const key of desired.lbKeys) {
      const binding = boundLb(config, key);
      const lb = binding === undefined ? undefined : ctx.observed.lbs[lbLookupKey(binding)];
      if (!lb) continue;
      const missing = zones.filter((z) => !lb.zones.includes(z));
      if (missing.length === 0) continue;
      if (lb.kind === "targetGroup") {
        ctx.problems.push(
          `${desired.name}: target group ${lb.name} (lb.${key}) is not served in ${missing.join(", ")}, where ${desired.name}'s subnets are: ` +
            `instances there would be marked 'unused' and never get traffic; enable ${missing.length === 1 ? "that zone" : "those zones"} on the load balancers forwarding to it (${lb.zones.join(", ") || "none"} now) or leave ${missing.length === 1 ? "its subnet" : "their subnets"} out`,
        );
      } else {
        warnings.push(
          `${desired.name}: classic load balancer ${lb.name} (lb.${key}) does not serve ${missing.join(", ")}: instances there stay OutOfService`,
        );
      }
    }
  }
  return warnings;
}

/** Where a component's instances can run: its subnets' zones, or (limited mode) its groups' zones. */
function componentZones(ctx: PlanContext, component: string): string[] {
  const network = ctx.observed.network;
  if (network) {
    const subnets = resolveSubnets(componentSettings(ctx.request.config, component).subnets, network);
    return subnets.ok ? [...new Set(subnets.value.map((s) => s.availabilityZone))] : [];
  }
  return [
    ...new Set(
      ctx.observed.groups.filter((g) => g.component === component).flatMap((g) => g.availabilityZones),
    ),
  ];
}

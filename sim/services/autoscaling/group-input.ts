// Reading and checking the parts of CreateAutoScalingGroup / UpdateAutoScalingGroup: the launch
// source, the zones and subnets, the size bounds, tags and lifecycle hooks.
import { SimError, validationError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import type { Sim } from "../../runtime.js";
import type { RegionState } from "../../state/store.js";
import type { AsgLaunchTemplateSpec, AsgTag, MixedInstancesPolicy } from "../../state/types.js";
import { checkRange, launchConfigurationNotFound } from "./errors.js";

export interface LaunchSource {
  launchConfigurationName?: string;
  launchTemplate?: AsgLaunchTemplateSpec;
  mixedInstancesPolicy?: MixedInstancesPolicy;
}

const ONE_SOURCE =
  "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.";

/** The launch source of a request; undefined when it names none (allowed on update). */
export function readLaunchSource(
  sim: Sim,
  region: RegionState,
  params: ParamReader,
): LaunchSource | undefined {
  const lcName = params.str("LaunchConfigurationName");
  const lt = params.obj("LaunchTemplate");
  const mip = params.obj("MixedInstancesPolicy");
  const given = [lcName, lt, mip, params.str("InstanceId")].filter((x) => x !== undefined).length;
  if (given === 0) return undefined;
  if (given > 1) throw validationError(ONE_SOURCE);
  if (params.str("InstanceId") !== undefined)
    throw validationError("Creating a group from an InstanceId is not supported by the local region.");
  if (lcName !== undefined) {
    if (!region.launchConfigurations.has(lcName)) throw launchConfigurationNotFound(lcName);
    return { launchConfigurationName: lcName };
  }
  if (lt) return { launchTemplate: resolveTemplate(sim, region, lt) };
  const spec = mip!.obj("LaunchTemplate")?.obj("LaunchTemplateSpecification");
  if (!spec) throw validationError("A launch template must be specified in the mixed instances policy.");
  const dist = mip!.obj("InstancesDistribution");
  return {
    mixedInstancesPolicy: {
      launchTemplate: {
        launchTemplateSpecification: resolveTemplate(sim, region, spec),
        overrides: (mip!.obj("LaunchTemplate")?.objects("Overrides") ?? []).map((o) => ({
          instanceType: o.str("InstanceType"),
          weightedCapacity: o.str("WeightedCapacity"),
        })),
      },
      instancesDistribution: dist && {
        onDemandAllocationStrategy: dist.str("OnDemandAllocationStrategy"),
        onDemandBaseCapacity: dist.int("OnDemandBaseCapacity"),
        onDemandPercentageAboveBaseCapacity: dist.int("OnDemandPercentageAboveBaseCapacity"),
        spotAllocationStrategy: dist.str("SpotAllocationStrategy"),
        spotInstancePools: dist.int("SpotInstancePools"),
        spotMaxPrice: dist.str("SpotMaxPrice"),
      },
    },
  };
}

/**
 * Checks that the template and version exist. The group keeps the version as given ("$Latest",
 * "$Default", "3", or "" when omitted, which AWS treats as $Default and does not echo back).
 */
function resolveTemplate(sim: Sim, region: RegionState, spec: ParamReader): AsgLaunchTemplateSpec {
  const id = spec.str("LaunchTemplateId");
  const name = spec.str("LaunchTemplateName");
  if ((id === undefined) === (name === undefined))
    throw validationError("Valid requests must contain either launchTemplateId or LaunchTemplateName");
  const version = spec.str("Version") ?? "";
  const ec2 = sim.internal.ec2;
  if (!ec2) throw validationError("You must use a valid fully-formed launch template. EC2 is not available.");
  try {
    const resolved = ec2.resolveLaunchTemplate(region, {
      launchTemplateId: id,
      launchTemplateName: name,
      version: version || "$Default",
    });
    return {
      launchTemplateId: resolved.launchTemplateId,
      launchTemplateName: resolved.launchTemplateName,
      version,
    };
  } catch (err) {
    if (err instanceof SimError)
      throw validationError(`You must use a valid fully-formed launch template. ${err.message}`);
    throw err;
  }
}

export interface Placement {
  availabilityZones: string[];
  vpcZoneIdentifier: string[];
}

/** Zones and subnets; undefined when the request gives neither (allowed on update). */
export function readPlacement(region: RegionState, params: ParamReader): Placement | undefined {
  const zones = params.strings("AvailabilityZones");
  const subnetList = params.str("VPCZoneIdentifier");
  const subnetIds = (subnetList ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (subnetIds.length === 0 && zones.length === 0) return undefined;
  for (const az of zones)
    if (!region.availabilityZones.includes(az)) throw validationError(`Invalid Availability Zone: ${az}`);
  if (subnetIds.length === 0) return { availabilityZones: [...new Set(zones)], vpcZoneIdentifier: [] };
  const subnetZones: string[] = [];
  let vpcId: string | undefined;
  for (const id of subnetIds) {
    const subnet = region.subnets.get(id);
    if (!subnet) throw validationError(`The subnet ID '${id}' does not exist`);
    if (vpcId !== undefined && subnet.vpcId !== vpcId)
      throw validationError("The specified subnets must all be in the same VPC.");
    vpcId = subnet.vpcId;
    if (!subnetZones.includes(subnet.availabilityZone)) subnetZones.push(subnet.availabilityZone);
  }
  if (zones.length && (zones.length !== subnetZones.length || zones.some((z) => !subnetZones.includes(z))))
    throw validationError(
      "The availability zones of the specified subnets and the Auto Scaling group do not match",
    );
  return { availabilityZones: subnetZones, vpcZoneIdentifier: [...new Set(subnetIds)] };
}

export interface Sizes {
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
}

/** Checks min <= desired <= max with AWS's messages. */
export function checkSizes(s: Sizes): void {
  checkRange(s.minSize, "minSize", { min: 0 });
  checkRange(s.maxSize, "maxSize", { min: 0 });
  checkRange(s.desiredCapacity, "desiredCapacity", { min: 0 });
  if (s.maxSize < s.minSize)
    throw validationError(
      `Max bound, ${s.maxSize}, must be greater than or equal to min bound, ${s.minSize}`,
    );
  if (s.desiredCapacity < s.minSize || s.desiredCapacity > s.maxSize)
    throw validationError(
      `Desired capacity:${s.desiredCapacity} must be between the specified min size:${s.minSize} and max size:${s.maxSize}`,
    );
}

export function readHealthCheckType(params: ParamReader): "EC2" | "ELB" | undefined {
  const type = params.str("HealthCheckType");
  if (type === undefined) return undefined;
  if (type !== "EC2" && type !== "ELB")
    throw validationError(`Invalid health check type: ${type}. Valid values are EC2 and ELB.`);
  return type;
}

/** `Tags.member.N` of a request: Key, Value, PropagateAtLaunch (ResourceId/Type name the group). */
export function readAsgTags(
  params: ParamReader,
): { resourceId?: string; resourceType?: string; tag: AsgTag }[] {
  return params.objects("Tags").map((t) => {
    const key = t.str("Key");
    if (!key) throw validationError("Tag key must not be empty");
    if (key.length > 128)
      throw validationError(
        `1 validation error detected: Value '${key}' at 'tags.member.key' failed to satisfy constraint: Member must have length less than or equal to 128`,
      );
    if (key.toLowerCase().startsWith("aws:"))
      throw validationError("Tag keys starting with 'aws:' are reserved for internal use");
    return {
      resourceId: t.str("ResourceId"),
      resourceType: t.str("ResourceType"),
      tag: { key, value: t.str("Value") ?? "", propagateAtLaunch: t.bool("PropagateAtLaunch") ?? false },
    };
  });
}

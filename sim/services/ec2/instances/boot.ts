// Turns a running full instance into a real local host: its identity for IMDS, its key pair, its
// user data and an environment that points AWS SDKs at the sim; then hands it its volumes. After a
// stop, `restart` boots the kept host again (same key and disks; user-data's per-boot parts only).
import { bindInstanceRole, instanceRoleName } from "../../../auth/instance-role.js";
import type { RegionState } from "../../../state/store.js";
import type { Instance } from "../../../state/types.js";
import type { Ec2Context } from "../context.js";
import type { HostSpec } from "../hosts/port.js";

export function bootHost(
  ec2: Ec2Context,
  region: RegionState,
  instance: Instance,
  opts: { restart?: boolean } = {},
): void {
  const spec = bootSpec(ec2, region, instance);
  if (!opts.restart) {
    ec2.hosts.boot(spec);
    attachAll(ec2, region, instance);
    return;
  }
  ec2.hosts.restart(spec).then(
    () => attachAll(ec2, region, instance),
    (err: unknown) => ec2.sim.recordError(`start host ${instance.instanceId}`, err),
  );
}

function attachAll(ec2: Ec2Context, region: RegionState, instance: Instance): void {
  for (const device of instance.blockDevices) {
    const volume = region.volumes.get(device.volumeId);
    if (!volume?.imagePath) continue;
    void ec2.hosts
      .attachVolume(instance.instanceId, volume.volumeId, volume.imagePath, device.deviceName)
      .catch((err: unknown) =>
        ec2.sim.recordError(`attach ${volume.volumeId} to ${instance.instanceId}`, err),
      );
  }
  void ec2.hosts.hostPublicKey(instance.instanceId).then((key) => {
    if (key) instance.hostPublicKey = key;
  });
}

export function bootSpec(ec2: Ec2Context, region: RegionState, instance: Instance): HostSpec {
  const { sim } = ec2;
  const keyPair = instance.keyName ? region.keyPairs.get(instance.keyName) : undefined;
  const meta = instance.metadataOptions;
  const role = instanceRoleName(sim, instance.iamInstanceProfile?.arn);
  // With a role, everything on the instance speaks as that role; without, as the region's administrator.
  const credentials = role
    ? bindInstanceRole(sim, region.name, instance.instanceId, role)
    : sim.options.credentials;
  return {
    instanceId: instance.instanceId,
    privateIp: instance.privateIpAddress,
    hostname: privateDnsName(region.name, instance.privateIpAddress),
    userData: instance.userData ? Buffer.from(instance.userData, "base64") : undefined,
    authorizedKeys: keyPair ? [keyPair.publicKey] : [],
    imds: {
      region: region.name,
      availabilityZone: instance.availabilityZone,
      accountId: ec2.accountId,
      imageId: instance.imageId,
      instanceType: instance.instanceType,
      mac: instance.macAddress ?? "0e:00:00:00:00:00",
      vpcId: instance.vpcId,
      subnetId: instance.subnetId,
      securityGroups: instance.securityGroupIds.map((groupId) => ({
        groupId,
        groupName: region.securityGroups.get(groupId)?.groupName ?? groupId,
      })),
      launchTime: instance.launchTime,
      httpTokens: meta?.httpTokens ?? "optional",
      iamRole: role ? { name: role, ...credentials } : undefined,
      tags: meta?.instanceMetadataTags === "enabled" ? { ...instance.tags } : undefined,
    },
    env: {
      AWS_ENDPOINT_URL: sim.endpoint ?? "",
      AWS_REGION: region.name,
      AWS_DEFAULT_REGION: region.name,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
  };
}

/** `ip-127-1-2-3.ec2.internal` in us-east-1, `ip-...<region>.compute.internal` elsewhere, as EC2 names hosts. */
export function privateDnsName(regionName: string, ip: string): string {
  const domain = regionName === "us-east-1" ? "ec2.internal" : `${regionName}.compute.internal`;
  return `ip-${ip.replace(/\./g, "-")}.${domain}`;
}

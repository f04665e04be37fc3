// ELBv2 names as AWS issues them: ARNs with the region and account, 16-hex-digit suffixes, and
// DNS names with the region's canonical hosted zone.
import { randomBytes } from "node:crypto";
import type { RegionState } from "../../state/store.js";

const hex16 = (): string => randomBytes(8).toString("hex");

export function loadBalancerArn(region: RegionState, accountId: string, type: string, name: string): string {
  const kind = type === "network" ? "net" : "app";
  return `arn:aws:elasticloadbalancing:${region.name}:${accountId}:loadbalancer/${kind}/${name}/${hex16()}`;
}

export function targetGroupArn(region: RegionState, accountId: string, name: string): string {
  return `arn:aws:elasticloadbalancing:${region.name}:${accountId}:targetgroup/${name}/${hex16()}`;
}

/** `…:loadbalancer/app/NAME/ID` -> `…:listener/app/NAME/ID/LISTENER-ID` */
export function listenerArn(lbArn: string): string {
  return `${lbArn.replace(":loadbalancer/", ":listener/")}/${hex16()}`;
}

export type ArnKind = "loadbalancer" | "targetgroup" | "listener" | "unknown";

export function arnKind(arn: string): ArnKind {
  const m = /^arn:aws:elasticloadbalancing:[^:]*:\d*:(loadbalancer|targetgroup|listener)\//.exec(arn);
  return (m?.[1] as ArnKind | undefined) ?? "unknown";
}

export function dnsName(region: RegionState, name: string, scheme: string, type: string): string {
  const id = BigInt(`0x${hex16()}`) % 10_000_000_000n;
  const host = `${scheme === "internal" ? "internal-" : ""}${name}-${id}`;
  return type === "network"
    ? `${host}.elb.${region.name}.amazonaws.com`
    : `${host}.${region.name}.elb.amazonaws.com`;
}

// Canonical hosted zones of the ELB endpoints, per region (ALB/classic, NLB).
const ZONES: Record<string, [string, string]> = {
  "us-east-1": ["Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"],
  "us-east-2": ["Z3AADJGX6KTTL2", "ZLMOA37VPKANP"],
  "us-west-1": ["Z368ELLRRE2KJ0", "Z24FKFUX50B4VW"],
  "us-west-2": ["Z1H1FL5HABSF5", "Z18D5FSROUN65G"],
  "eu-west-1": ["Z32O12XQLNTSW2", "Z2IFOLAFXWLO4F"],
  "eu-central-1": ["Z215JYRZR1TBD5", "Z3F0SRJ5LGBH90"],
};

export function hostedZoneId(region: RegionState, type: string): string {
  const zones = ZONES[region.name] ?? ["Z35SXDOTRQ7X7K", "Z26RNL4JYFTOTI"];
  return type === "network" ? zones[1] : zones[0];
}

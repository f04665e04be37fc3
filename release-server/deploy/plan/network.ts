// Resolving the network settings (docs/spec/deploy.md#vpc, #subnets, #launch-config-sg) against what the VPC
// holds (pure): subnets by name, id or shell-style wildcard, at most one per availability zone; security
// groups by name or id.
import type { ObservedNetwork, ObservedSubnet } from "../observe/observed.js";

export type Resolved<T> = { ok: true; value: T } | { ok: false; problem: string };

const isSubnetId = (s: string) => /^subnet-[0-9a-f]+$/.test(s);
const isGroupId = (s: string) => /^sg-[0-9a-f]+$/.test(s);

/** docs/spec/deploy.md#subnets: a string is a shell-style wildcard pattern. */
export function wildcardRegex(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "*") source += ".*";
    else if (ch === "?") source += ".";
    else if (ch === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close === -1) {
        source += "\\[";
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith("!");
      if (negate) body = body.slice(1);
      source += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = close;
    } else source += ch.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

export function resolveSubnets(
  spec: string[] | string,
  network: ObservedNetwork,
): Resolved<ObservedSubnet[]> {
  const inVpc = network.subnets.filter((s) => s.vpcId === network.vpcId);
  let chosen: ObservedSubnet[];
  if (typeof spec === "string") {
    const re = wildcardRegex(spec);
    chosen = inVpc.filter((s) => re.test(s.name ?? "") || re.test(s.id));
    if (chosen.length === 0) {
      return { ok: false, problem: `subnets ${JSON.stringify(spec)}: no subnet of ${network.vpcId} matches` };
    }
  } else {
    chosen = [];
    for (const item of spec) {
      const found = isSubnetId(item)
        ? inVpc.filter((s) => s.id === item)
        : inVpc.filter((s) => s.name === item);
      if (found.length === 0) {
        const where = isSubnetId(item) ? "is not in" : "names no subnet of";
        return { ok: false, problem: `subnet ${JSON.stringify(item)} ${where} ${network.vpcId}` };
      }
      if (found.length > 1) {
        return {
          ok: false,
          problem: `subnet name ${JSON.stringify(item)} is ambiguous in ${network.vpcId}: ${found.map((s) => s.id).join(", ")}`,
        };
      }
      if (!chosen.includes(found[0]!)) chosen.push(found[0]!);
    }
  }
  const byZone = new Map<string, ObservedSubnet[]>();
  for (const s of chosen) byZone.set(s.availabilityZone, [...(byZone.get(s.availabilityZone) ?? []), s]);
  const crowded = [...byZone].filter(([, list]) => list.length > 1);
  if (crowded.length > 0) {
    // docs/spec/deploy.md#subnets: at most one subnet per availability zone.
    const detail = crowded.map(([az, list]) => `${az}: ${list.map((s) => s.id).join(", ")}`).join("; ");
    return { ok: false, problem: `subnets: more than one subnet per availability zone (${detail})` };
  }
  return { ok: true, value: chosen.sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone)) };
}

export function resolveSecurityGroups(names: string[], network: ObservedNetwork): Resolved<string[]> {
  const ids: string[] = [];
  for (const item of names) {
    const found = network.securityGroups.filter((g) => (isGroupId(item) ? g.id === item : g.name === item));
    if (found.length !== 1) {
      return {
        ok: false,
        problem: `security group ${JSON.stringify(item)} ${found.length === 0 ? "is not in" : "is ambiguous in"} ${network.vpcId}`,
      };
    }
    ids.push(found[0]!.id);
  }
  return { ok: true, value: ids };
}

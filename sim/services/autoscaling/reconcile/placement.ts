// Where a group launches and which member it terminates: pure decisions over plain inputs.
//
// Launches go to the zone with the fewest members, then the subnet of that zone with the fewest.
// Scale-in follows AWS's default termination policy: the zone with the most members (that has
// an unprotected one), then members on an outdated launch template/configuration, then the
// oldest configuration, then the oldest launch (AWS: "closest to the next billing hour").

export function chooseLaunchZone(zones: string[], memberZones: string[]): string | undefined {
  let best: string | undefined;
  let bestCount = Infinity;
  for (const zone of zones) {
    const count = memberZones.filter((z) => z === zone).length;
    if (count < bestCount) {
      best = zone;
      bestCount = count;
    }
  }
  return best;
}

export function chooseSubnet(
  subnets: { subnetId: string; zone: string }[],
  zone: string,
  memberSubnets: string[],
): string | undefined {
  let best: string | undefined;
  let bestCount = Infinity;
  for (const s of subnets) {
    if (s.zone !== zone) continue;
    const count = memberSubnets.filter((id) => id === s.subnetId).length;
    if (count < bestCount) {
      best = s.subnetId;
      bestCount = count;
    }
  }
  return best;
}

export interface Candidate {
  instanceId: string;
  zone: string;
  /** Launched from something other than the group's current template/configuration. */
  outdated: boolean;
  /** Age of its template version or configuration: lower is older. */
  configRank: number;
  launchTime: number;
  protected: boolean;
}

export function chooseVictims(candidates: Candidate[], count: number): string[] {
  const remaining = [...candidates];
  const victims: string[] = [];
  while (victims.length < count) {
    const zone = busiestZone(remaining);
    if (zone === undefined) break;
    const pool = remaining
      .filter((c) => c.zone === zone && !c.protected)
      .sort(
        (a, b) =>
          Number(b.outdated) - Number(a.outdated) ||
          a.configRank - b.configRank ||
          a.launchTime - b.launchTime,
      );
    const victim = pool[0]!;
    victims.push(victim.instanceId);
    remaining.splice(remaining.indexOf(victim), 1);
  }
  return victims;
}

/** The zone with the most members among those holding an unprotected one. */
function busiestZone(members: Candidate[]): string | undefined {
  const counts = new Map<string, number>();
  for (const m of members) counts.set(m.zone, (counts.get(m.zone) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = -1;
  for (const [zone, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    if (!members.some((m) => m.zone === zone && !m.protected)) continue;
    if (count > bestCount) {
      best = zone;
      bestCount = count;
    }
  }
  return best;
}

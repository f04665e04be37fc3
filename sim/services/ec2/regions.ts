// DescribeRegions and DescribeAvailabilityZones: the regions and zones this local region serves.
import type { Ec2Op } from "./context.js";

export const describeRegions: Ec2Op = ({ sim, params }) => {
  const wanted = params.strings("RegionName");
  return {
    regionInfo: [...sim.state.regions.keys()]
      .filter((name) => wanted.length === 0 || wanted.includes(name))
      .map((regionName) => ({
        regionName,
        regionEndpoint: `ec2.${regionName}.amazonaws.com`,
        optInStatus: "opt-in-not-required",
      })),
  };
};

export const describeAvailabilityZones: Ec2Op = ({ region, params }) => {
  const wanted = params.strings("ZoneName");
  return {
    availabilityZoneInfo: region.availabilityZones
      .filter((zoneName) => wanted.length === 0 || wanted.includes(zoneName))
      .map((zoneName, i) => ({
        zoneName,
        zoneId: `${region.name.replace(/-/g, "").slice(0, 4)}-az${i + 1}`,
        zoneState: "available",
        regionName: region.name,
        zoneType: "availability-zone",
        optInStatus: "opt-in-not-required",
      })),
  };
};

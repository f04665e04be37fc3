// The EC2 service: its operation table.
import type { QueryService } from "../types.js";
import { describeAvailabilityZones, describeRegions } from "./regions.js";

export function ec2Service(): QueryService {
  return {
    name: "ec2",
    version: "2016-11-15",
    xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
    throttleCode: "RequestLimitExceeded",
    ops: {
      DescribeRegions: describeRegions,
      DescribeAvailabilityZones: describeAvailabilityZones,
    },
  };
}

// DescribeInstanceStatus: running instances (all of them with IncludeAllInstances) with instance
// and system checks; a full instance whose host failed to boot fails its reachability check.
import type { Instance } from "../../../state/types.js";
import { applyFilters, readFilters, type FilterTable } from "../../common/filters.js";
import type { Ec2Op } from "../context.js";
import { ec2Page } from "../paging.js";
import { visibleInstances } from "./describe.js";
import { stateXml, STATE_CODES } from "./shape.js";

function checks(i: Instance): { instance: string; system: string } {
  if (i.state !== "running") return { instance: "not-applicable", system: "not-applicable" };
  return { instance: i.impairedReason ? "impaired" : "ok", system: "ok" };
}

const STATUS_FILTERS: FilterTable<Instance> = {
  fields: {
    "availability-zone": (i) => i.availabilityZone,
    "instance-state-name": (i) => i.state,
    "instance-state-code": (i) => STATE_CODES[i.state],
    "instance-status.status": (i) => checks(i).instance,
    "instance-status.reachability": (i) => (checks(i).instance === "ok" ? "passed" : "failed"),
    "system-status.status": (i) => checks(i).system,
    "system-status.reachability": (i) => (checks(i).system === "ok" ? "passed" : "failed"),
  },
};

export const describeInstanceStatus: Ec2Op = ({ sim, region, params }) => {
  const ids = params.strings("InstanceId");
  const includeAll = params.bool("IncludeAllInstances") ?? false;
  const filters = readFilters(params);
  const instances = applyFilters(
    visibleInstances(region, ids, (id) => sim.faults.visible(id)).filter(
      (i) => includeAll || i.state === "running",
    ),
    filters,
    STATUS_FILTERS,
  );
  const page = ec2Page(params, instances, { op: "DescribeInstanceStatus", filters, min: 5, max: 1000 });
  return {
    instanceStatusSet: page.items.map((i) => {
      const c = checks(i);
      const detail = (status: string) => [
        {
          name: "reachability",
          status: status === "ok" ? "passed" : status === "impaired" ? "failed" : "initializing",
        },
      ];
      return {
        instanceId: i.instanceId,
        availabilityZone: i.availabilityZone,
        eventsSet: [],
        instanceState: stateXml(i.state),
        instanceStatus: {
          status: c.instance,
          details: c.instance === "not-applicable" ? undefined : detail(c.instance),
        },
        systemStatus: {
          status: c.system,
          details: c.system === "not-applicable" ? undefined : detail(c.system),
        },
      };
    }),
    nextToken: page.nextToken,
  };
};

// RegisterInstancesWithLoadBalancer, DeregisterInstancesFromLoadBalancer and DescribeInstanceHealth.
import type { ParamReader } from "../../api/params.js";
import type { Sim } from "../../runtime.js";
import type { RegionState } from "../../state/store.js";
import type { ClassicLoadBalancer } from "../../state/types.js";
import type { OpHandler } from "../types.js";
import { findLoadBalancer, invalidInstance, validation } from "./errors.js";
import {
  deregisterInstance,
  freshInstanceHealth,
  instanceState,
  startInstanceProbing,
} from "./instance-health.js";

function readInstanceIds(params: ParamReader): string[] {
  return params.objects("Instances").map((i) => i.req("InstanceId"));
}

/** Registers instances (already checked); one being drained starts over. */
export function registerInstances(
  sim: Sim,
  region: RegionState,
  lb: ClassicLoadBalancer,
  ids: string[],
): void {
  for (const id of ids) {
    if (lb.instances[id] && !lb.instances[id].drainUntil) continue;
    lb.instances[id] = freshInstanceHealth();
    startInstanceProbing(sim, region, lb, id);
  }
}

export function deregisterInstances(
  sim: Sim,
  region: RegionState,
  lb: ClassicLoadBalancer,
  ids: string[],
): void {
  for (const id of ids) deregisterInstance(sim, region, lb, id);
}

const registered = (lb: ClassicLoadBalancer): { InstanceId: string }[] =>
  Object.keys(lb.instances).map((InstanceId) => ({ InstanceId }));

export const registerInstancesOp: OpHandler = ({ sim, region, params }) => {
  const lb = findLoadBalancer(region, params.req("LoadBalancerName"));
  const ids = readInstanceIds(params);
  if (ids.length === 0) throw validation("Instances must be specified");
  const unknown = ids.filter(
    (id) => !region.instances.has(id) || region.instances.get(id)?.state === "terminated",
  );
  if (unknown.length) throw invalidInstance(unknown);
  const elsewhere = ids.filter((id) => lb.vpcId && region.instances.get(id)?.vpcId !== lb.vpcId);
  if (elsewhere.length)
    throw validation(`EC2 instance ${elsewhere.join(", ")} is not in the same VPC as the load balancer`);
  registerInstances(sim, region, lb, ids);
  return { Instances: registered(lb) };
};

export const deregisterInstancesOp: OpHandler = ({ sim, region, params }) => {
  const lb = findLoadBalancer(region, params.req("LoadBalancerName"));
  const ids = readInstanceIds(params);
  const unknown = ids.filter((id) => !region.instances.has(id) && !lb.instances[id]);
  if (unknown.length) throw invalidInstance(unknown);
  deregisterInstances(sim, region, lb, ids);
  return { Instances: registered(lb) };
};

export const describeInstanceHealth: OpHandler = ({ region, params }) => {
  const lb = findLoadBalancer(region, params.req("LoadBalancerName"));
  const asked = readInstanceIds(params);
  const unknown = asked.filter((id) => !lb.instances[id]);
  if (unknown.length) throw invalidInstance(unknown);
  const ids = asked.length ? asked : Object.keys(lb.instances);
  return { InstanceStates: ids.map((id) => ({ InstanceId: id, ...instanceState(region, lb, id) })) };
};

// CreateListener, DescribeListeners, ModifyListener and DeleteListener. A listener forwarding to a
// target group is what puts the group in use: its targets are then health checked in the zones of
// the load balancer.
import { SimError } from "../../api/errors.js";
import type { RegionState } from "../../state/store.js";
import type { LoadBalancerV2 } from "../../state/types.js";
import { readTagList } from "../common/tags.js";
import type { OpHandler } from "../types.js";
import {
  checkForwarding,
  checkListenerProtocol,
  forwardedGroups,
  readActions,
  relinkTargetGroups,
} from "./actions.js";
import { listenerArn } from "./arns.js";
import { validation } from "./errors.js";
import { findListener, findLoadBalancer } from "./lookup.js";
import { pageOf } from "./page.js";
import { listenerShape } from "./shapes.js";
import { checkTagCount } from "./tags.js";

export const createListener: OpHandler = ({ region, params }) => {
  const lb = findLoadBalancer(region, params.req("LoadBalancerArn"));
  const protocol = params.str("Protocol") ?? (lb.type === "application" ? "HTTP" : "TCP");
  const port = params.int("Port");
  if (port === undefined) throw validation("A listener port must be specified");
  if (port < 1 || port > 65535) throw validation(`Listener port '${port}' must be between 1 and 65535`);
  checkListenerProtocol(lb, protocol, params.objects("Certificates").length);
  const defaultActions = readActions(params, "DefaultActions");
  checkForwarding(region, lb, protocol, forwardedGroups(defaultActions));
  const tags = readTagList(params, "Tags");
  checkTagCount(tags);
  const same = lb.listeners.find((l) => l.port === port);
  if (same) {
    // Repeating a CreateListener with the same settings returns the listener, as AWS does.
    if (
      same.protocol === protocol &&
      sameActions(forwardedGroups(same.defaultActions), forwardedGroups(defaultActions))
    )
      return { Listeners: [listenerShape(lb, same)] };
    throw new SimError(
      "DuplicateListener",
      `A listener already exists on this port for this load balancer '${lb.loadBalancerArn}'`,
    );
  }
  const listener = {
    listenerArn: listenerArn(lb.loadBalancerArn),
    port,
    protocol,
    targetGroupArn: forwardedGroups(defaultActions)[0] ?? "",
    defaultActions,
    tags,
  };
  lb.listeners.push(listener);
  relinkTargetGroups(region);
  return { Listeners: [listenerShape(lb, listener)] };
};

export const describeListeners: OpHandler = ({ region, params }) => {
  const lbArn = params.str("LoadBalancerArn");
  const arns = params.strings("ListenerArns");
  if (!lbArn && arns.length === 0)
    throw validation("You must specify either listener ARNs or a load balancer ARN");
  const found = lbArn
    ? findLoadBalancer(region, lbArn).listeners.map((l) => ({
        lb: findLoadBalancer(region, lbArn),
        listener: l,
      }))
    : arns.map((arn) => findListener(region, arn));
  const picked = lbArn && arns.length ? found.filter((f) => arns.includes(f.listener.listenerArn)) : found;
  const page = pageOf(params, picked, `elbv2:DescribeListeners:${lbArn ?? ""}:${arns.join(",")}`);
  return { Listeners: page.items.map((f) => listenerShape(f.lb, f.listener)), NextMarker: page.nextToken };
};

export const modifyListener: OpHandler = ({ region, params }) => {
  const { lb, listener } = findListener(region, params.req("ListenerArn"));
  const protocol = params.str("Protocol") ?? listener.protocol;
  const port = params.int("Port") ?? listener.port;
  if (lb.listeners.some((l) => l !== listener && l.port === port))
    throw new SimError(
      "DuplicateListener",
      `A listener already exists on this port for this load balancer '${lb.loadBalancerArn}'`,
    );
  checkListenerProtocol(
    lb,
    protocol,
    protocol === listener.protocol ? 1 : params.objects("Certificates").length,
  );
  const actions = params.objects("DefaultActions").length
    ? readActions(params, "DefaultActions")
    : listener.defaultActions;
  checkForwarding(region, lb, protocol, forwardedGroups(actions));
  Object.assign(listener, {
    protocol,
    port,
    defaultActions: actions,
    targetGroupArn: forwardedGroups(actions)[0] ?? "",
  });
  relinkTargetGroups(region);
  return { Listeners: [listenerShape(lb, listener)] };
};

export const deleteListener: OpHandler = ({ region, params }) => {
  const { lb, listener } = findListener(region, params.req("ListenerArn"));
  detachListener(region, lb, listener);
  return {};
};

/** Removes a listener; its target groups leave the load balancer unless another listener still forwards to them. */
export function detachListener(
  region: RegionState,
  lb: LoadBalancerV2,
  listener: LoadBalancerV2["listeners"][number],
): void {
  lb.listeners = lb.listeners.filter((l) => l !== listener);
  relinkTargetGroups(region);
}

function sameActions(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

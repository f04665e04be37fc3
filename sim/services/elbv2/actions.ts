// Listener default actions: `forward` to one target group (TargetGroupArn) or several
// (ForwardConfig), plus fixed-response and redirect, which reach no targets.
import { SimError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";
import type { RegionState } from "../../state/store.js";
import type { ListenerAction, LoadBalancerV2 } from "../../state/types.js";
import { validation } from "./errors.js";
import { findTargetGroup } from "./lookup.js";

const ALB_PROTOCOLS = ["HTTP", "HTTPS"];
const NLB_PROTOCOLS = ["TCP", "TLS", "UDP", "TCP_UDP"];

export function readActions(params: ParamReader, name: string): ListenerAction[] {
  const actions = params.objects(name).map((a): ListenerAction => {
    const type = a.req("Type");
    const forward = a
      .obj("ForwardConfig")
      ?.objects("TargetGroups")
      .map((t) => ({ targetGroupArn: t.req("TargetGroupArn"), weight: t.int("Weight") }));
    const targetGroupArn =
      a.str("TargetGroupArn") ?? (forward?.length === 1 ? forward[0]?.targetGroupArn : undefined);
    if (type === "forward" && !targetGroupArn && !forward?.length)
      throw validation("A target group ARN must be specified for a forward action");
    if (!["forward", "fixed-response", "redirect"].includes(type))
      throw validation(`Action type '${type}' is not supported here`);
    return { type, order: a.int("Order"), targetGroupArn, forward };
  });
  if (actions.length === 0) throw validation("At least one default action must be specified");
  return actions;
}

/** Target group ARNs an action list forwards to. */
export function forwardedGroups(actions: ListenerAction[]): string[] {
  const arns = new Set<string>();
  for (const a of actions) {
    if (a.targetGroupArn) arns.add(a.targetGroupArn);
    for (const f of a.forward ?? []) arns.add(f.targetGroupArn);
  }
  return [...arns];
}

/** Checks the target groups a listener of `lb` would forward to, as CreateListener does. */
export function checkForwarding(
  region: RegionState,
  lb: LoadBalancerV2,
  protocol: string,
  arns: string[],
): void {
  for (const arn of arns) {
    const tg = findTargetGroup(region, arn);
    const allowed = lb.type === "application" ? ALB_PROTOCOLS : NLB_PROTOCOLS;
    if (!allowed.includes(tg.protocol))
      throw new SimError(
        "IncompatibleProtocols",
        `Listener protocol '${protocol}' is not supported with a target group with the protocol '${tg.protocol}'`,
      );
    if (tg.vpcId !== lb.vpcId)
      throw new SimError(
        "InvalidConfigurationRequest",
        `The target group '${arn}' is in VPC '${tg.vpcId}', not in the load balancer's VPC '${lb.vpcId}'`,
      );
    const other = tg.loadBalancerArns.find((a) => a !== lb.loadBalancerArn);
    if (other)
      throw new SimError(
        "TargetGroupAssociationLimit",
        `The following target groups cannot be associated with more than one load balancer: ${arn}`,
      );
  }
}

export function checkListenerProtocol(lb: LoadBalancerV2, protocol: string, certificates: number): void {
  const allowed = lb.type === "application" ? ALB_PROTOCOLS : NLB_PROTOCOLS;
  if (!allowed.includes(protocol))
    throw new SimError(
      "UnsupportedProtocol",
      `Protocol '${protocol}' is not supported for load balancers of type '${lb.type}'`,
    );
  if ((protocol === "HTTPS" || protocol === "TLS") && certificates === 0)
    throw validation(`A certificate must be specified for ${protocol} listeners`);
}

/** Recomputes each target group's LoadBalancerArns from the listeners that forward to it. */
export function relinkTargetGroups(region: RegionState): void {
  for (const tg of region.targetGroups.values()) tg.loadBalancerArns = [];
  for (const lb of region.loadBalancersV2.values())
    for (const listener of lb.listeners)
      for (const arn of forwardedGroups(listener.defaultActions)) {
        const tg = region.targetGroups.get(arn);
        if (tg && !tg.loadBalancerArns.includes(lb.loadBalancerArn))
          tg.loadBalancerArns.push(lb.loadBalancerArn);
      }
}

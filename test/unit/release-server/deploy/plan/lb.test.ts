// docs/spec/deploy.md#lb: model gateways bound to classic load balancers or ALB target groups, and the
// pre-flight checks on them.
import { describe, expect, it } from "vitest";
import type { ActionOf } from "../../../../../release-server/deploy/actions.js";
import {
  baseEnv,
  env,
  lbs,
  model,
  observed,
  plan,
  request,
  tgArn,
  webGateways,
} from "../../../../support/deploy-fixtures.js";

const attached = (p: ReturnType<typeof plan>) =>
  p.changes
    .flatMap((c) => c.actions)
    .filter((a): a is ActionOf<"attachLbs"> => a.kind === "attachLbs")
    .map((a) => [a.group, a.lbs]);

describe("bindings", () => {
  it('"The key (name) is what the LB is referred to in the application model": a gateway\'s target components are attached', () => {
    const p = plan(request(env(baseEnv), model({ front: "f:1", back: "b:1" }, webGateways)), observed());
    expect(attached(p)).toEqual([
      ["shop.front_A", [{ kind: "targetGroup", arn: tgArn, name: "tg-web" }]],
      ["shop.back_A", [{ kind: "classic", name: "api-elb" }]],
    ]);
  });

  it('"Setting the value to null ... is the same as not having the named LB listed at all"', () => {
    const e = env(baseEnv.replace("api: api-elb", "api: null"));
    const p = plan(request(e, model({ front: "f:1", back: "b:1" }, webGateways)), observed());
    expect(attached(p).map(([g]) => g)).toEqual(["shop.front_A"]);
    expect(p.problems).toEqual([]);
  });

  it("a target group is found by its ARN as well as by its name", () => {
    const e = env(baseEnv.replace("target_group: tg-web", `target_group: "${tgArn}"`));
    const o = observed({ lbs: { [tgArn]: { ...lbs()["tg-web"]! }, "api-elb": lbs()["api-elb"]! } });
    expect(
      plan(request(e, model({ front: "f:1" }, "  web: {type: load_balancer, target: [front]}")), o).problems,
    ).toEqual([]);
  });
});

describe("pre-flight", () => {
  it('"leaving an LB mapping definition in an environment where the LB is not present in the target EC2 region/VPC will cause the plugin to fail on its pre-flight check"', () => {
    const o = observed({ lbs: { "tg-web": lbs()["tg-web"]! } });
    expect(plan(request(env(baseEnv), model({ front: "f:1" })), o).problems).toEqual([
      'lb.api: classic load balancer "api-elb" does not exist in us-east-1; set lb.api to null where it is absent',
    ]);
    const elsewhere = observed({ lbs: { ...lbs(), "api-elb": { ...lbs()["api-elb"]!, vpcId: "vpc-9" } } });
    expect(plan(request(env(baseEnv), model({ front: "f:1" })), elsewhere).problems).toEqual([
      'lb.api: classic load balancer "api-elb" is in vpc-9, not in the deploy VPC vpc-1',
    ]);
  });

  it('IMPORTANT: "the target group must have exactly the same availability zones as those covered by the VPC subnets" (fails naming the missing zones)', () => {
    const narrow = observed({ lbs: { ...lbs(), "tg-web": { ...lbs()["tg-web"]!, zones: ["us-east-1a"] } } });
    const p = plan(request(env(baseEnv), model({ front: "f:1", back: "b:1" }, webGateways)), narrow);
    expect(p.problems).toEqual([
      "front: target group tg-web (lb.web) is not served in us-east-1b, where front's subnets are: instances there would be marked 'unused' and never get traffic; enable that zone on the load balancers forwarding to it (us-east-1a now) or leave its subnet out",
    ]);
    const onlyA = env(`${baseEnv}components: {front: {subnets: [private-a]}}\n`);
    expect(plan(request(onlyA, model({ front: "f:1", back: "b:1" }, webGateways)), narrow).problems).toEqual(
      [],
    );
  });

  it('"port" differing from the target group\'s port is a warning', () => {
    const p = plan(
      request(env(baseEnv.replace("port: 8080", "port: 9090")), model({ front: "f:1" })),
      observed(),
    );
    expect(p.warnings).toContain(
      "lb.web: port 9090 differs from the port of target group tg-web (8080); Auto Scaling registers instances on the target group's port",
    );
  });
});

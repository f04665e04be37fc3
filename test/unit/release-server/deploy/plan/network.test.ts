// docs/spec/deploy.md#vpc, #subnets and #launch-config-sg: names or ids, resolved inside the VPC.
import { describe, expect, it } from "vitest";
import type { ActionOf } from "../../../../../release-server/deploy/actions.js";
import { resolveSubnets, wildcardRegex } from "../../../../../release-server/deploy/plan/network.js";
import { baseEnv, env, model, observed, plan, request } from "../../../../support/deploy-fixtures.js";

const network = observed().network!;
const ids = (spec: string[] | string) => {
  const r = resolveSubnets(spec, network);
  return r.ok ? r.value.map((s) => s.id) : r.problem;
};

describe("subnets", () => {
  it.each<[string, string[] | string, string[] | string]>([
    [
      '"List of subnet names or IDs. If names are used, they will be looked up in the specified vpc"',
      ["private-a", "subnet-0b"],
      ["subnet-0a", "subnet-0b"],
    ],
    [
      '"If IDs are given, they must be in the named vpc (plugin will fail if they\'re not)"',
      ["subnet-0f"],
      'subnet "subnet-0f" is not in vpc-1',
    ],
    ["a name that is not in the vpc fails", ["other"], 'subnet "other" names no subnet of vpc-1'],
    [
      '"given as a string, and will be interpreted as a shell-style wildcard pattern"',
      "private-?",
      ["subnet-0a", "subnet-0b"],
    ],
    [
      '"If not provided at all, subnets="*" is assumed (use all subnets in the VPC ...)"',
      "*",
      ["subnet-0a", "subnet-0b"],
    ],
    ["a pattern matching nothing fails", "public-*", 'subnets "public-*": no subnet of vpc-1 matches'],
  ])("%s", (_rule, spec, expected) => {
    expect(ids(spec)).toEqual(expected);
  });

  it('"There should be no more than one subnet per availability zone listed here" (and "*" works only without that)', () => {
    const crowded = {
      ...network,
      subnets: [
        ...network.subnets,
        { id: "subnet-0c", name: "extra-a", availabilityZone: "us-east-1a", vpcId: "vpc-1" },
      ],
    };
    const r = resolveSubnets("*", crowded);
    expect(r).toEqual({
      ok: false,
      problem: "subnets: more than one subnet per availability zone (us-east-1a: subnet-0a, subnet-0c)",
    });
  });

  it('"A subnets setting for a component will override the global subnets setting"', () => {
    const e = env(`${baseEnv}subnets: [private-a, private-b]\ncomponents: {front: {subnets: [private-b]}}\n`);
    const p = plan(request(e, model({ front: "a:1", back: "b:1" })), observed());
    const groups = p.changes
      .flatMap((c) => c.actions)
      .filter((a): a is ActionOf<"createGroup"> => a.kind === "createGroup");
    expect(groups.map((g) => [g.group, g.subnetIds])).toEqual([
      ["shop.front_A", ["subnet-0b"]],
      ["shop.back_A", ["subnet-0a", "subnet-0b"]],
    ]);
  });

  it("reports a subnet problem in the plan", () => {
    const p = plan(request(env(`${baseEnv}subnets: [nowhere]\n`), model({ front: "a:1" })), observed());
    expect(p.problems).toEqual(['front: subnet "nowhere" names no subnet of vpc-1']);
  });
});

it.each([
  ["*", ["a", "", "a-b"], []],
  ["private-?", ["private-a"], ["private-ab", "private-"]],
  ["sub[ab]", ["suba", "subb"], ["subc"]],
  ["sub[!ab]", ["subc"], ["suba"]],
  ["a.b", ["a.b"], ["axb"]],
])("wildcard %s", (pattern, yes, no) => {
  const re = wildcardRegex(pattern);
  expect(yes.every((s) => re.test(s)) && no.every((s) => !re.test(s))).toBe(true);
});

describe('"sg - (list of strings) names or IDs of security groups"', () => {
  it.each([
    ["by name", "[web]", ["sg-0123"], []],
    ["by id", "[sg-0123]", ["sg-0123"], []],
    ["unknown", "[db]", undefined, ['front: launch_config.sg: security group "db" is not in vpc-1']],
  ])("%s", (_what, sg, expected, problems) => {
    const p = plan(
      request(env(baseEnv.replace("sg: [web]", `sg: ${sg}`)), model({ front: "a:1" })),
      observed(),
    );
    const lt = p.changes[0]?.actions.find(
      (a): a is ActionOf<"createLaunchTemplate"> => a.kind === "createLaunchTemplate",
    );
    expect([lt?.data.securityGroupIds, p.problems]).toEqual([expected, problems]);
  });
});

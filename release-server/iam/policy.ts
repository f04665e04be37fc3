// IAM policy documents from permission grants: one statement per service and scope (resources and
// condition), actions sorted, so the same features always print the same document.

/** One permission a role needs, with the resources and condition it can be confined to. */
export interface Grant {
  /** "ec2:CreateTags" */
  action: string;
  /** ARNs; every resource ("*") when absent. */
  resources?: string[];
  condition?: Record<string, Record<string, string | string[]>>;
  /**
   * AWS checks this permission as part of another call (tags given at creation, the launch
   * template's RunInstances, PassRole); it is never called by name, so no call count shows it used.
   */
  implied?: boolean;
  /** Statement id for a scoped grant ("Ec2TagOnCreateLaunchTemplate"); the service's name otherwise. */
  sid?: string;
}

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

const serviceSid: Record<string, string> = {
  autoscaling: "AutoScaling",
  ec2: "Ec2",
  elasticloadbalancing: "ElasticLoadBalancing",
  s3: "S3",
  iam: "Iam",
  ecr: "Ecr",
};

const serviceOf = (action: string): string => action.split(":")[0] ?? action;

export function buildPolicy(grants: readonly Grant[]): PolicyDocument {
  const groups = new Map<string, { service: string; grant: Grant; actions: Set<string> }>();
  for (const g of grants) {
    const service = serviceOf(g.action);
    const key = JSON.stringify([
      service,
      g.sid ?? null,
      [...(g.resources ?? ["*"])].sort(),
      g.condition ?? null,
    ]);
    const group = groups.get(key) ?? { service, grant: g, actions: new Set<string>() };
    group.actions.add(g.action);
    groups.set(key, group);
  }
  const ordered = [...groups.values()].sort(
    (a, b) =>
      a.service.localeCompare(b.service) ||
      Number(a.grant.resources !== undefined || a.grant.condition !== undefined) -
        Number(b.grant.resources !== undefined || b.grant.condition !== undefined) ||
      JSON.stringify(a.grant).localeCompare(JSON.stringify(b.grant)),
  );
  const seen = new Map<string, number>();
  return {
    Version: "2012-10-17",
    Statement: ordered.map(({ service, grant, actions }) => {
      const base = grant.sid ?? serviceSid[service] ?? service;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const resources = [...new Set(grant.resources ?? ["*"])].sort();
      return {
        Sid: n === 1 ? base : `${base}${n}`,
        Effect: "Allow",
        Action: [...actions].sort(),
        Resource: resources.length === 1 ? resources[0]! : resources,
        ...(grant.condition ? { Condition: grant.condition } : {}),
      };
    }),
  };
}

/** Every action a document allows, sorted and without repeats. */
export function policyActions(doc: PolicyDocument): string[] {
  return [...new Set(doc.Statement.flatMap((s) => s.Action))].sort();
}

/** The actions of grants that are called by name, i.e. that a call count can show used. */
export function calledActions(grants: readonly Grant[]): string[] {
  return [...new Set(grants.filter((g) => !g.implied).map((g) => g.action))].sort();
}

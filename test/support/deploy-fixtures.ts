// Builders for planner tests: an environment and a model from YAML (through the real loaders, so
// defaults are the product's), and observed state with sensible defaults.
import { loadEnvironment, type Environment } from "#shared/config/environment.js";
import { parseSource } from "#shared/config/load.js";
import { loadModel, type Model } from "#shared/config/model.js";
import type { Action, Plan } from "../../release-server/deploy/actions.js";
import type { DeployRequest } from "../../release-server/deploy/desired.js";
import type {
  Observed,
  ObservedGroup,
  ObservedInstance,
  ObservedLb,
} from "../../release-server/deploy/observe/observed.js";
import { planDeploy } from "../../release-server/deploy/plan/plan.js";

export const baseEnv = `
vpc: vpc-1
image_check_type: none
launch_config: {ami: ami-0123456789abcdef0, type: t3.micro, sg: [web], user_data: "run {{image_id}}"}
image_id_subst: "{{image_id}}"
lb:
  web: {target_group: tg-web, port: 8080}
  api: api-elb
`;

export function env(text: string): Environment {
  const source = parseSource("env.yaml", text).source;
  if (!source) throw new Error("bad env yaml");
  const { environment, issues } = loadEnvironment([source]);
  if (!environment) throw new Error(issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  return environment;
}

export function model(
  components: Record<string, string | { image: string; replicas?: number }>,
  gateways = "",
): Model {
  const lines = ["doctype: com.datagridsys.doctype/skopos/model", "version: 1", "components:"];
  for (const [name, c] of Object.entries(components)) {
    const spec = typeof c === "string" ? { image: c, replicas: 2 } : c;
    lines.push(`  ${name}: {image: "${spec.image}", replicas: ${spec.replicas ?? 2}}`);
  }
  if (gateways) lines.push("gateways:", gateways);
  const loaded = loadModel(parseSource("model.yaml", lines.join("\n")).source!);
  if (!loaded.model) throw new Error(loaded.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  return loaded.model.model;
}

export const frontGateway = `  web: {type: load_balancer, target: [front]}`;
export const webGateways = `  web: {type: load_balancer, target: [front]}\n  api: {type: load_balancer, target: [back]}`;

export function request(
  environment: Environment,
  m: Model | undefined,
  over: Partial<DeployRequest> = {},
): DeployRequest {
  return {
    project: "shop",
    config: environment.ec2Asg,
    limitedPermissions: environment.limitedPermissions,
    model: m,
    operation: "deploy",
    replaceAll: false,
    forceReplace: [],
    digests: {},
    ...over,
  };
}

export function instances(
  n: number,
  over: Partial<ObservedInstance> = {},
  prefix = "i-",
): ObservedInstance[] {
  return Array.from({ length: n }, (_, k) => ({
    instanceId: `${prefix}${k + 1}`,
    lifecycleState: "InService",
    healthStatus: "Healthy",
    availabilityZone: "us-east-1a",
    ec2State: "running",
    privateIp: `127.9.0.${k + 1}`,
    ...over,
  }));
}

/** The launch hook record a group made with the default lifecycle_hook carries. */
export const hookTag = { "skopos:lifecycle_hook": "asg-release-launch;600;CONTINUE" };

/** A group; one of project "shop" is managed and records the default launch hook unless `tags` says otherwise. */
export function group(name: string, over: Partial<ObservedGroup> = {}): ObservedGroup {
  const [project, rest] = name.split(".") as [string, string];
  const [component, slot] = rest.split("_") as [string, string];
  const image = over.imageId ?? "reg/app:1";
  const members = over.instances ?? instances(2, { imageId: image }, `i-${component}${slot}`);
  return {
    name,
    component,
    slot,
    managed: project === "shop",
    imageId: image,
    launch: { kind: "template", id: `lt-${component}${slot}`, name, version: "$Default" },
    minSize: members.length,
    maxSize: members.length,
    desiredCapacity: members.length,
    availabilityZones: ["us-east-1a", "us-east-1b"],
    loadBalancerNames: [],
    targetGroupArns: [],
    instances: members,
    deleting: false,
    createdTime: "2024-01-01T00:00:00.000Z",
    ...over,
    tags: { ...(project === "shop" ? hookTag : {}), ...over.tags },
  };
}

export const tgArn =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg-web/0123456789abcdef";

export function lbs(healthy: string[] = []): Record<string, ObservedLb> {
  const health = Object.fromEntries(healthy.map((id) => [id, { state: "healthy" }]));
  const classicHealth = Object.fromEntries(healthy.map((id) => [id, { state: "InService" }]));
  return {
    "tg-web": {
      kind: "targetGroup",
      arn: tgArn,
      name: "tg-web",
      vpcId: "vpc-1",
      port: 8080,
      zones: ["us-east-1a", "us-east-1b"],
      loadBalancerArns: ["arn:alb"],
      drainSeconds: 5,
      health,
    },
    "api-elb": {
      kind: "classic",
      name: "api-elb",
      vpcId: "vpc-1",
      zones: ["us-east-1a", "us-east-1b"],
      drainSeconds: 0,
      health: classicHealth,
    },
  };
}

export function observed(over: Partial<Observed> = {}): Observed {
  return {
    region: "us-east-1",
    project: "shop",
    network: {
      vpcId: "vpc-1",
      subnets: [
        { id: "subnet-0a", name: "private-a", availabilityZone: "us-east-1a", vpcId: "vpc-1" },
        { id: "subnet-0b", name: "private-b", availabilityZone: "us-east-1b", vpcId: "vpc-1" },
        { id: "subnet-0f", name: "other", availabilityZone: "us-east-1a", vpcId: "vpc-2" },
      ],
      securityGroups: [{ id: "sg-0123", name: "web" }],
    },
    groups: [],
    launchTemplates: [],
    launchConfigurations: [],
    templateSources: {},
    lbs: lbs(),
    pendingHandoffs: [],
    ...over,
  };
}

export const plan = (req: DeployRequest, obs: Observed): Plan => planDeploy(req, obs);

/** "component: kind kind kind" lines, to compare plans at a glance. */
export function outline(p: Plan): string[] {
  return p.changes.map((c) => `${c.component} ${c.kind}: ${c.actions.map((a) => brief(a)).join(", ")}`);
}

function brief(a: Action): string {
  if ("group" in a) return `${a.kind} ${a.group}`;
  if ("name" in a) return `${a.kind} ${a.name}`;
  return a.kind;
}

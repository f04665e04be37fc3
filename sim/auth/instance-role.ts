// The role credentials an instance's metadata service hands out: a key of the instance's own, tied
// to its instance profile role's policies (read from IAM at each request) and to
// ec2:SourceInstanceARN = that instance, as EC2 delivers them.
import type { Sim } from "../runtime.js";
import { instanceRoleCredentials, rolePolicies, type Credentials } from "./principals.js";

export function bindInstanceRole(
  sim: Sim,
  regionName: string,
  instanceId: string,
  role: string,
): Credentials {
  const creds = instanceRoleCredentials(instanceId);
  const account = sim.options.accountId;
  sim.principals.bind(creds.accessKeyId, {
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${instanceId}`,
    policies: () => rolePolicies(sim.state.iam, role),
    keys: { "ec2:SourceInstanceARN": `arn:aws:ec2:${regionName}:${account}:instance/${instanceId}` },
    instanceRole: true,
  });
  return creds;
}

/** The role of an instance's profile (the profile's name when it holds none), as IMDS names it. */
export function instanceRoleName(sim: Sim, profileArn: string | undefined): string | undefined {
  if (!profileArn) return undefined;
  const profile = [...sim.state.iam.instanceProfiles.values()].find((p) => p.arn === profileArn);
  return profile?.roleNames[0] ?? profileArn.split("/").pop();
}

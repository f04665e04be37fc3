// IAM in the local region through the AWS CLI (a real client of IAM's query protocol, signing for
// "iam" in us-east-1 whatever the sim's region): roles, inline and managed policies, instance
// profiles, IAM's validation and error codes, and an instance profile given to RunInstances.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSim, type SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { awsCli, awsCliError } from "../support/sim.js";

let sim: SimHandle;
beforeAll(async () => {
  sim = await startSim({ regions: { "us-east-2": ["us-east-2a"] } });
});
afterAll(async () => {
  await sim.stop();
});

const iam = (...args: string[]) => awsCli(sim, ["iam", ...args]);
const iamError = (...args: string[]) => awsCliError(sim, ["iam", ...args]);

const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["ec2:DescribeInstances"], Resource: "*" }],
});

describe("IAM", () => {
  it("creates a role with an inline policy in an instance profile, and takes them apart in order", async () => {
    const created = (await iam(
      "create-role",
      "--role-name",
      "agent",
      "--assume-role-policy-document",
      TRUST,
    )) as {
      Role: {
        RoleName: string;
        Arn: string;
        RoleId: string;
        Path: string;
        AssumeRolePolicyDocument: unknown;
      };
    };
    expect(created.Role).toMatchObject({
      RoleName: "agent",
      Path: "/",
      Arn: `arn:aws:iam::${sim.accountId}:role/agent`,
      AssumeRolePolicyDocument: JSON.parse(TRUST),
    });
    expect(created.Role.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(
      await iamError("create-role", "--role-name", "agent", "--assume-role-policy-document", TRUST),
    ).toContain(
      "(EntityAlreadyExists) when calling the CreateRole operation: Role with name agent already exists.",
    );
    expect(await iamError("get-role", "--role-name", "nobody")).toContain(
      "(NoSuchEntity) when calling the GetRole operation: The role with name nobody cannot be found.",
    );
    expect(
      await iamError("create-role", "--role-name", "bad name", "--assume-role-policy-document", TRUST),
    ).toContain("(ValidationError)");
    expect(
      await iamError("create-role", "--role-name", "x", "--assume-role-policy-document", "{not json"),
    ).toContain(
      "(MalformedPolicyDocument) when calling the CreateRole operation: This policy contains invalid Json",
    );

    await iam(
      "put-role-policy",
      "--role-name",
      "agent",
      "--policy-name",
      "boot",
      "--policy-document",
      POLICY,
    );
    expect(await iam("list-role-policies", "--role-name", "agent")).toMatchObject({ PolicyNames: ["boot"] });
    expect(await iam("get-role-policy", "--role-name", "agent", "--policy-name", "boot")).toMatchObject({
      RoleName: "agent",
      PolicyName: "boot",
      PolicyDocument: JSON.parse(POLICY),
    });

    const policy = (await iam("create-policy", "--policy-name", "extra", "--policy-document", POLICY)) as {
      Policy: { Arn: string };
    };
    await iam("attach-role-policy", "--role-name", "agent", "--policy-arn", policy.Policy.Arn);
    expect(
      await iamError("attach-role-policy", "--role-name", "agent", "--policy-arn", `${policy.Policy.Arn}x`),
    ).toContain("(NoSuchEntity)");

    const profile = (await iam("create-instance-profile", "--instance-profile-name", "agent-profile")) as {
      InstanceProfile: { Arn: string; InstanceProfileId: string };
    };
    expect(profile.InstanceProfile.InstanceProfileId).toMatch(/^AIPA[A-Z0-9]{17}$/);
    await iam(
      "add-role-to-instance-profile",
      "--instance-profile-name",
      "agent-profile",
      "--role-name",
      "agent",
    );
    expect(await iam("get-instance-profile", "--instance-profile-name", "agent-profile")).toMatchObject({
      InstanceProfile: { InstanceProfileName: "agent-profile", Roles: [{ RoleName: "agent" }] },
    });
    expect(await iam("list-instance-profiles")).toMatchObject({
      InstanceProfiles: [{ InstanceProfileName: "agent-profile", Roles: [{ RoleName: "agent" }] }],
    });

    // The instance profile is checked and recorded at launch; IMDS names the profile's role.
    const run = (await awsCli(sim, [
      "ec2",
      "run-instances",
      "--image-id",
      DEBIAN_12_AMI,
      "--iam-instance-profile",
      "Name=agent-profile",
    ])) as { Instances: { IamInstanceProfile: unknown }[] };
    expect(run.Instances[0]!.IamInstanceProfile).toEqual({
      Arn: profile.InstanceProfile.Arn,
      Id: profile.InstanceProfile.InstanceProfileId,
    });
    expect(
      await awsCliError(sim, [
        "ec2",
        "run-instances",
        "--image-id",
        DEBIAN_12_AMI,
        "--iam-instance-profile",
        "Name=nope",
      ]),
    ).toContain("Invalid IAM Instance Profile name");

    expect(await iamError("delete-role", "--role-name", "agent")).toContain(
      "(DeleteConflict) when calling the DeleteRole operation: Cannot delete entity, must delete policies first.",
    );
    await iam("delete-role-policy", "--role-name", "agent", "--policy-name", "boot");
    expect(await iamError("delete-role", "--role-name", "agent")).toContain(
      "must detach all policies first.",
    );
    expect(await iamError("delete-policy", "--policy-arn", policy.Policy.Arn)).toContain("(DeleteConflict)");
    await iam("detach-role-policy", "--role-name", "agent", "--policy-arn", policy.Policy.Arn);
    await iam("delete-policy", "--policy-arn", policy.Policy.Arn);
    expect(await iamError("delete-role", "--role-name", "agent")).toContain(
      "must remove roles from instance profile first.",
    );
    expect(await iamError("delete-instance-profile", "--instance-profile-name", "agent-profile")).toContain(
      "(DeleteConflict)",
    );
    await iam(
      "remove-role-from-instance-profile",
      "--instance-profile-name",
      "agent-profile",
      "--role-name",
      "agent",
    );
    await iam("delete-instance-profile", "--instance-profile-name", "agent-profile");
    await iam("delete-role", "--role-name", "agent");
    expect(await iam("list-instance-profiles")).toMatchObject({ InstanceProfiles: [] });
    expect(await iamError("get-instance-profile", "--instance-profile-name", "agent-profile")).toContain(
      "(NoSuchEntity) when calling the GetInstanceProfile operation: Instance Profile agent-profile cannot be found.",
    );
  });
});

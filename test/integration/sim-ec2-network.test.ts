// EC2 networking, images and key pairs in the local region: the seeded default VPC, subnets and
// security group; CreateVpc/Subnet/SecurityGroup; DescribeImages; real SSH key pairs.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteKeyPairCommand,
  DeleteSecurityGroupCommand,
  DescribeImagesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  ImportKeyPairCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { AL2023_AMI, DEBIAN_12_AMI, UBUNTU_2404_AMI } from "../../sim/services/ec2/seed.js";
import { awsCli, awsCliError } from "../support/sim.js";
import { useSimWorld } from "../support/sim-world.js";

const exec = promisify(execFile);
const world = useSimWorld("sim-ec2-keys-");

const errorName = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => "no error",
    (e: { name: string }) => e.name,
  );

describe("seeded region", () => {
  it("has a default VPC with a default subnet per AZ and a default security group", async () => {
    const vpcs = await world.aws.ec2.send(
      new DescribeVpcsCommand({ Filters: [{ Name: "is-default", Values: ["true"] }] }),
    );
    expect(vpcs.Vpcs).toHaveLength(1);
    const vpc = vpcs.Vpcs![0]!;
    expect(vpc).toMatchObject({
      CidrBlock: "172.31.0.0/16",
      IsDefault: true,
      State: "available",
      OwnerId: world.sim.accountId,
    });
    const subnets = await world.aws.ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpc.VpcId!] },
          { Name: "default-for-az", Values: ["true"] },
        ],
      }),
    );
    expect(subnets.Subnets?.map((s) => s.AvailabilityZone).sort()).toEqual([
      "us-east-1a",
      "us-east-1b",
      "us-east-1c",
    ]);
    expect(subnets.Subnets?.[0]).toMatchObject({
      DefaultForAz: true,
      MapPublicIpOnLaunch: true,
      State: "available",
    });
    const groups = await world.aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }));
    expect(groups.SecurityGroups).toEqual([
      expect.objectContaining({ GroupName: "default", VpcId: vpc.VpcId }),
    ]);
  });

  it("serves the AMIs by id, owner and name wildcard", async () => {
    const amazon = await world.aws.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }));
    expect(amazon.Images?.map((i) => i.ImageId)).toEqual([AL2023_AMI]);
    expect(amazon.Images?.[0]?.ImageOwnerAlias).toBe("amazon");
    // Debian's and Canonical's official AMIs come from their own accounts, as on AWS.
    const ubuntu = await world.aws.ec2.send(new DescribeImagesCommand({ Owners: ["099720109477"] }));
    expect(ubuntu.Images?.map((i) => i.ImageId)).toEqual([UBUNTU_2404_AMI]);
    const debian = await world.aws.ec2.send(
      new DescribeImagesCommand({
        Owners: ["136693071363"],
        Filters: [{ Name: "name", Values: ["debian-12-*"] }],
      }),
    );
    expect(debian.Images).toEqual([
      expect.objectContaining({
        ImageId: DEBIAN_12_AMI,
        OwnerId: "136693071363",
        State: "available",
        Public: true,
        Architecture: "x86_64",
        RootDeviceName: "/dev/xvda",
      }),
    ]);
    expect(debian.Images?.[0]?.ImageOwnerAlias).toBeUndefined();
    expect(debian.Images?.[0]?.BlockDeviceMappings?.[0]?.Ebs?.SnapshotId).toMatch(/^snap-/);
    const mine = await world.aws.ec2.send(new DescribeImagesCommand({ Owners: ["self"] }));
    expect(mine.Images).toEqual([]);
    expect(
      await errorName(world.aws.ec2.send(new DescribeImagesCommand({ ImageIds: ["ami-00000000000000000"] }))),
    ).toBe("InvalidAMIID.NotFound");
  });
});

describe("VPCs, subnets and security groups", () => {
  it("creates a VPC with a subnet and groups, found by tag, name and id", async () => {
    const { Vpc: vpc } = await world.aws.ec2.send(
      new CreateVpcCommand({
        CidrBlock: "10.0.0.0/16",
        TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "app" }] }],
      }),
    );
    expect(vpc).toMatchObject({
      CidrBlock: "10.0.0.0/16",
      IsDefault: false,
      Tags: [{ Key: "Name", Value: "app" }],
    });
    const { Subnet: subnet } = await world.aws.ec2.send(
      new CreateSubnetCommand({
        VpcId: vpc!.VpcId!,
        CidrBlock: "10.0.1.0/24",
        AvailabilityZone: "us-east-1b",
        TagSpecifications: [{ ResourceType: "subnet", Tags: [{ Key: "Name", Value: "app-b" }] }],
      }),
    );
    expect(subnet).toMatchObject({
      AvailabilityZone: "us-east-1b",
      AvailableIpAddressCount: 251,
      DefaultForAz: false,
    });
    const byTag = await world.aws.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "tag:Name", Values: ["app-*"] }] }),
    );
    expect(byTag.Subnets?.map((s) => s.SubnetId)).toEqual([subnet!.SubnetId]);

    const { GroupId: groupId } = await world.aws.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "web", Description: "web tier", VpcId: vpc!.VpcId! }),
    );
    expect(
      await errorName(
        world.aws.ec2.send(
          new CreateSecurityGroupCommand({ GroupName: "web", Description: "again", VpcId: vpc!.VpcId! }),
        ),
      ),
    ).toBe("InvalidGroup.Duplicate");
    // GroupNames only reach the default VPC; a group elsewhere is found by filter.
    expect(
      await errorName(world.aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["web"] }))),
    ).toBe("InvalidGroup.NotFound");
    const byName = await world.aws.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "group-name", Values: ["web"] },
          { Name: "vpc-id", Values: [vpc!.VpcId!] },
        ],
      }),
    );
    expect(byName.SecurityGroups).toEqual([
      expect.objectContaining({ GroupId: groupId, Description: "web tier", IpPermissions: [] }),
    ]);
    const byId = await world.aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId!] }));
    expect(byId.SecurityGroups?.[0]?.GroupName).toBe("web");

    // An instance in the new subnet with its group; a group from another VPC is refused.
    const run = await world.aws.ec2.send(
      new RunInstancesCommand({
        ImageId: DEBIAN_12_AMI,
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnet!.SubnetId!,
        SecurityGroupIds: [groupId!],
      }),
    );
    expect(run.Instances?.[0]).toMatchObject({
      VpcId: vpc!.VpcId,
      SecurityGroups: [{ GroupId: groupId, GroupName: "web" }],
    });
    const defaultGroup = (
      await world.aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ["default"] }))
    ).SecurityGroups![0]!;
    expect(
      await errorName(
        world.aws.ec2.send(
          new RunInstancesCommand({
            ImageId: DEBIAN_12_AMI,
            MinCount: 1,
            MaxCount: 1,
            SubnetId: subnet!.SubnetId!,
            SecurityGroupIds: [defaultGroup.GroupId!],
          }),
        ),
      ),
    ).toBe("InvalidParameter");
    expect(await errorName(world.aws.ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId! })))).toBe(
      "DependencyViolation",
    );
  });

  it("reports unknown ids", async () => {
    expect(
      await errorName(world.aws.ec2.send(new DescribeVpcsCommand({ VpcIds: ["vpc-00000000000000000"] }))),
    ).toBe("InvalidVpcID.NotFound");
    expect(
      await errorName(
        world.aws.ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-00000000000000000"] })),
      ),
    ).toBe("InvalidSubnetID.NotFound");
    expect(
      await errorName(
        world.aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-00000000000000000"] })),
      ),
    ).toBe("InvalidGroup.NotFound");
  });
});

describe("key pairs", () => {
  it("creates real RSA and ed25519 keys whose public halves it keeps", async () => {
    for (const KeyType of ["rsa", "ed25519"] as const) {
      const created = await world.aws.ec2.send(
        new CreateKeyPairCommand({
          KeyName: `k-${KeyType}`,
          KeyType,
          TagSpecifications: [{ ResourceType: "key-pair", Tags: [{ Key: "team", Value: "ops" }] }],
        }),
      );
      expect(created.KeyMaterial).toMatch(
        KeyType === "rsa" ? /^-----BEGIN RSA PRIVATE KEY-----/ : /^-----BEGIN OPENSSH PRIVATE KEY-----/,
      );
      const file = join(world.dir, KeyType);
      await writeFile(file, `${created.KeyMaterial!}\n`, { mode: 0o600 });
      const { stdout } = await exec("ssh-keygen", ["-y", "-f", file]);
      const described = await world.aws.ec2.send(
        new DescribeKeyPairsCommand({ KeyNames: [`k-${KeyType}`], IncludePublicKey: true }),
      );
      expect(described.KeyPairs?.[0]).toMatchObject({
        KeyName: `k-${KeyType}`,
        KeyType,
        KeyPairId: created.KeyPairId,
        KeyFingerprint: created.KeyFingerprint,
        Tags: [{ Key: "team", Value: "ops" }],
      });
      expect(described.KeyPairs?.[0]?.PublicKey?.split(" ").slice(0, 2)).toEqual(
        stdout.trim().split(" ").slice(0, 2),
      );
    }
    expect(await errorName(world.aws.ec2.send(new CreateKeyPairCommand({ KeyName: "k-rsa" })))).toBe(
      "InvalidKeyPair.Duplicate",
    );
  });

  it("imports an OpenSSH public key, launches with it, and deletes idempotently", async () => {
    const file = join(world.dir, "imported");
    await exec("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]);
    const { stdout: pub } = await exec("cat", [`${file}.pub`]);
    const { stdout: fp } = await exec("ssh-keygen", ["-l", "-E", "sha256", "-f", `${file}.pub`]);
    const imported = await world.aws.ec2.send(
      new ImportKeyPairCommand({ KeyName: "imported", PublicKeyMaterial: Buffer.from(pub) }),
    );
    // ssh-keygen prints SHA256:<base64 without padding>
    expect(`SHA256:${imported.KeyFingerprint!.replace(/=+$/, "")}`).toBe(fp.split(" ")[1]);
    expect(
      await errorName(
        world.aws.ec2.send(
          new ImportKeyPairCommand({ KeyName: "bad", PublicKeyMaterial: Buffer.from("not a key") }),
        ),
      ),
    ).toBe("InvalidKey.Format");
    const run = await world.aws.ec2.send(
      new RunInstancesCommand({ ImageId: DEBIAN_12_AMI, MinCount: 1, MaxCount: 1, KeyName: "imported" }),
    );
    expect(run.Instances?.[0]?.KeyName).toBe("imported");
    await world.aws.ec2.send(new DeleteKeyPairCommand({ KeyName: "imported" }));
    await world.aws.ec2.send(new DeleteKeyPairCommand({ KeyName: "imported" }));
    expect(await errorName(world.aws.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ["imported"] })))).toBe(
      "InvalidKeyPair.NotFound",
    );
  });

  it("works through the AWS CLI", async () => {
    const file = join(world.dir, "cli");
    await exec("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", file]);
    const out = (await awsCli(world.sim, [
      "ec2",
      "import-key-pair",
      "--key-name",
      "cli",
      "--public-key-material",
      `fileb://${file}.pub`,
    ])) as {
      KeyFingerprint: string;
    };
    expect(out.KeyFingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const { stdout } = await exec("ssh-keygen", ["-e", "-m", "PKCS8", "-f", `${file}.pub`]);
    const md5 = (
      await exec("sh", ["-c", `echo '${stdout.trim()}' | openssl pkey -pubin -outform DER | openssl md5 -c`])
    ).stdout;
    expect(md5.trim().split(" ").pop()).toBe(out.KeyFingerprint);
    const listed = (await awsCli(world.sim, [
      "ec2",
      "describe-key-pairs",
      "--filters",
      "Name=key-name,Values=cli",
    ])) as {
      KeyPairs: { KeyName: string }[];
    };
    expect(listed.KeyPairs.map((k) => k.KeyName)).toEqual(["cli"]);
    expect(
      await awsCliError(world.sim, [
        "ec2",
        "describe-security-groups",
        "--group-ids",
        "sg-00000000000000000",
      ]),
    ).toContain("InvalidGroup.NotFound");
  });
});

describe("security group rules", () => {
  it("records inbound rules by source group and by CIDR, describes them, and refuses a duplicate", async () => {
    const group = await world.aws.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "rules", Description: "rules" }),
    );
    const id = group.GroupId ?? "";
    const self = (await awsCli(world.sim, [
      "ec2",
      "authorize-security-group-ingress",
      "--group-id",
      id,
      "--protocol",
      "all",
      "--source-group",
      id,
    ])) as { Return: boolean; SecurityGroupRules: { GroupId: string; IsEgress: boolean }[] };
    expect(self.Return).toBe(true);
    expect(self.SecurityGroupRules).toEqual([expect.objectContaining({ GroupId: id, IsEgress: false })]);
    await awsCli(world.sim, [
      "ec2",
      "authorize-security-group-ingress",
      "--group-id",
      id,
      "--protocol",
      "tcp",
      "--port",
      "22",
      "--cidr",
      "0.0.0.0/0",
    ]);
    const described = await world.aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }));
    expect(described.SecurityGroups?.[0]?.IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: "-1",
        UserIdGroupPairs: [expect.objectContaining({ GroupId: id })],
      }),
      expect.objectContaining({
        IpProtocol: "tcp",
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: "0.0.0.0/0" }],
      }),
    ]);
    expect(
      await awsCliError(world.sim, [
        "ec2",
        "authorize-security-group-ingress",
        "--group-id",
        id,
        "--protocol",
        "tcp",
        "--port",
        "22",
        "--cidr",
        "0.0.0.0/0",
      ]),
    ).toContain("InvalidPermission.Duplicate");
    await world.aws.ec2.send(new DeleteSecurityGroupCommand({ GroupId: id }));
  });
});

// The instance metadata of one instance as a tree of paths, and how a GET path resolves in it:
// a directory lists its entries (subdirectories with a trailing "/"), a leaf returns its value.
// Paths and shapes follow the EC2 "Instance metadata categories" documentation.
import type { ImdsData } from "../driver.js";

export interface ImdsView {
  instanceId: string;
  privateIp: string;
  hostname: string;
  userData?: Buffer;
  data: ImdsData;
}

export interface ImdsResponse {
  status: number;
  body: string | Buffer;
  contentType: string;
}

type Tree = { [name: string]: Tree | string };

const CREDENTIALS_LIFETIME_MS = 6 * 3600 * 1000;

function credentials(role: NonNullable<ImdsData["iamRole"]>, accountId: string, now: Date): string {
  return JSON.stringify(
    {
      Code: "Success",
      LastUpdated: now.toISOString().replace(/\.\d+Z$/, "Z"),
      Type: "AWS-HMAC",
      AccessKeyId: role.accessKeyId,
      SecretAccessKey: role.secretAccessKey,
      // The SDK's IMDS provider only accepts documents with a string Token.
      Token: role.sessionToken ?? "",
      Expiration: new Date(now.getTime() + CREDENTIALS_LIFETIME_MS).toISOString().replace(/\.\d+Z$/, "Z"),
      AccountId: accountId,
    },
    null,
    2,
  );
}

function identityDocument(v: ImdsView): string {
  const d = v.data;
  return JSON.stringify(
    {
      accountId: d.accountId,
      architecture: "x86_64",
      availabilityZone: d.availabilityZone,
      billingProducts: null,
      devpayProductCodes: null,
      marketplaceProductCodes: null,
      imageId: d.imageId,
      instanceId: v.instanceId,
      instanceType: d.instanceType,
      kernelId: null,
      pendingTime: (d.launchTime ?? new Date(0)).toISOString().replace(/\.\d+Z$/, "Z"),
      privateIp: v.privateIp,
      ramdiskId: null,
      region: d.region,
      version: "2017-09-30",
    },
    null,
    2,
  );
}

function metaData(v: ImdsView, now: Date): Tree {
  const d = v.data;
  const groups = d.securityGroups ?? [];
  const tree: Tree = {
    "ami-id": d.imageId,
    "ami-launch-index": "0",
    hostname: v.hostname,
    "instance-id": v.instanceId,
    "instance-type": d.instanceType,
    "local-hostname": v.hostname,
    "local-ipv4": v.privateIp,
    mac: d.mac,
    placement: { "availability-zone": d.availabilityZone, region: d.region },
    "security-groups": groups.map((g) => g.groupName).join("\n"),
    network: {
      interfaces: {
        macs: {
          [d.mac]: {
            "device-number": "0",
            "local-hostname": v.hostname,
            "local-ipv4s": v.privateIp,
            mac: d.mac,
            "owner-id": d.accountId,
            "security-group-ids": groups.map((g) => g.groupId).join("\n"),
            "security-groups": groups.map((g) => g.groupName).join("\n"),
            "subnet-id": d.subnetId,
            "vpc-id": d.vpcId,
          },
        },
      },
    },
  };
  if (d.iamRole) {
    tree.iam = {
      info: JSON.stringify({
        Code: "Success",
        InstanceProfileArn: `arn:aws:iam::${d.accountId}:instance-profile/${d.iamRole.name}`,
      }),
      "security-credentials": { [d.iamRole.name]: credentials(d.iamRole, d.accountId, now) },
    };
  }
  if (d.targetLifecycleState) tree.autoscaling = { "target-lifecycle-state": d.targetLifecycleState };
  if (d.tags) tree.tags = { instance: { ...d.tags } };
  return tree;
}

function lookup(tree: Tree, segments: string[]): ImdsResponse {
  let node: Tree | string = tree;
  for (const s of segments) {
    if (typeof node === "string" || !(s in node)) return notFound();
    node = node[s] as Tree | string;
  }
  if (typeof node === "string") return { status: 200, body: node, contentType: "text/plain" };
  const names = Object.entries(node).map(([k, child]) => (typeof child === "string" ? k : `${k}/`));
  return { status: 200, body: names.join("\n"), contentType: "text/plain" };
}

const notFound = (): ImdsResponse => ({ status: 404, body: "Not Found", contentType: "text/plain" });

/** Resolves a GET. Repeated slashes are tolerated: SDKs join an endpoint ending in "/" with "/latest/...". */
export function resolveImds(v: ImdsView, path: string, now: Date): ImdsResponse {
  const segments = path.split("?")[0]!.split("/").filter(Boolean);
  const [version, category, ...rest] = segments;
  if (version === undefined) return { status: 200, body: "latest", contentType: "text/plain" };
  if (version !== "latest") return notFound();
  const hasUserData = v.userData !== undefined && v.userData.length > 0;
  if (category === "user-data" && rest.length === 0) {
    return hasUserData
      ? { status: 200, body: v.userData!, contentType: "application/octet-stream" }
      : notFound();
  }
  const root: Tree = {
    dynamic: { "instance-identity": { document: identityDocument(v) } },
    "meta-data": metaData(v, now),
  };
  if (category === undefined) {
    return lookup({ ...root, ...(hasUserData ? { "user-data": "" } : {}) }, []);
  }
  return lookup(root, [category, ...rest]);
}

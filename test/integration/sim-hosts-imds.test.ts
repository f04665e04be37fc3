// The metadata listener on its own: IMDSv2 token rules over HTTP, and the SDK's metadata client and
// instance-profile credentials provider against it.
import { fromInstanceMetadata } from "@aws-sdk/credential-providers";
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImdsData } from "../../sim/hosts/driver.js";
import { startImdsServer, type ImdsServer } from "../../sim/hosts/imds/server.js";
import { freeLoopbackIp } from "../support/loopback.js";

let server: ImdsServer | undefined;
let ip: string;
// Whole seconds: credential expiry is written without milliseconds.
let clock = Math.floor(Date.now() / 1000) * 1000;
const data: ImdsData = {
  region: "ap-south-1",
  availabilityZone: "ap-south-1a",
  accountId: "123456789012",
  imageId: "ami-0sim",
  instanceType: "m5.large",
  mac: "0e:00:00:00:00:03",
  vpcId: "vpc-0sim",
  subnetId: "subnet-0sim",
  iamRole: {
    name: "app-role",
    accessKeyId: "AKIDSIM",
    secretAccessKey: "sim-secret",
    sessionToken: "sim-session",
  },
  httpTokens: "required",
};

beforeAll(async () => {
  ip = await freeLoopbackIp();
  const view = () => ({
    instanceId: "i-0imds",
    privateIp: ip,
    hostname: "ip.ec2.internal",
    userData: Buffer.from("#!/bin/sh\n"),
    data,
  });
  server = await startImdsServer(ip, view, { now: () => clock });
});

afterAll(async () => {
  await server?.close();
});

const put = (ttl: string | undefined, headers: Record<string, string> = {}) =>
  fetch(`http://${ip}/latest/api/token`, {
    method: "PUT",
    headers: { ...(ttl === undefined ? {} : { "x-aws-ec2-metadata-token-ttl-seconds": ttl }), ...headers },
  });
const get = (path: string, token?: string) =>
  fetch(`http://${ip}${path}`, { headers: token ? { "x-aws-ec2-metadata-token": token } : {} });

describe("the metadata listener", () => {
  it("issues tokens for a TTL of 1 to 21600 seconds, never through a proxy", async () => {
    expect((await put(undefined)).status).toBe(400);
    expect((await put("0")).status).toBe(400);
    expect((await put("21601")).status).toBe(400);
    expect((await put("60", { "x-forwarded-for": "127.0.0.1" })).status).toBe(403);
    const ok = await put("60");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-aws-ec2-metadata-token-ttl-seconds")).toBe("60");
    expect((await fetch(`http://${ip}/latest/api/token`)).status).toBe(405);
  });

  it("requires a valid, unexpired token when tokens are required", async () => {
    const token = await (await put("2")).text();
    expect((await get("/latest/meta-data/instance-id")).status).toBe(401);
    expect((await get("/latest/meta-data/instance-id", "forged")).status).toBe(401);
    const r = await get("/latest/meta-data/instance-id", token);
    expect([r.status, await r.text()]).toEqual([200, "i-0imds"]);
    clock += 3000;
    expect((await get("/latest/meta-data/instance-id", token)).status).toBe(401);
  });

  it("answers IMDSv1 requests when tokens are optional", async () => {
    data.httpTokens = "optional";
    try {
      expect(await (await get("/latest/meta-data/local-ipv4")).text()).toBe(ip);
    } finally {
      data.httpTokens = "required";
    }
  });

  it("works with the SDK's metadata client and instance-profile credentials", async () => {
    const imds = new MetadataService({ endpoint: `http://${ip}`, retries: 0 });
    expect(await imds.request("/latest/meta-data/placement/region", {})).toBe("ap-south-1");
    expect(await imds.request("/latest/user-data", {})).toBe("#!/bin/sh\n");
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `http://${ip}`;
    try {
      const creds = await fromInstanceMetadata({ maxRetries: 0, timeout: 2000 })();
      expect(creds).toMatchObject({
        accessKeyId: "AKIDSIM",
        secretAccessKey: "sim-secret",
        sessionToken: "sim-session",
      });
      expect(creds.expiration!.getTime()).toBe(clock + 6 * 3600 * 1000);
    } finally {
      delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    }
  });
});

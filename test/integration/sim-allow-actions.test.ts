// The sim's IAM allow-list: query calls and S3 requests outside it are refused the way AWS refuses
// them (EC2 UnauthorizedOperation, others AccessDenied, S3's 403 XML), S3 operations map to the
// IAM action a policy names, and the list is set and lifted at runtime by handle and control route.
import { DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import { simClients } from "../support/sim.js";

let sim: SimHandle;
let aws: AwsClients;

beforeAll(async () => {
  sim = await startSim();
  aws = simClients(sim, { maxAttempts: 1 });
  await aws.s3.send(new CreateBucketCommand({ Bucket: "cfg" }));
  await aws.s3.send(new PutObjectCommand({ Bucket: "cfg", Key: "user-data", Body: "hello" }));
});
afterEach(() => sim.setAllowActions(undefined));
afterAll(async () => {
  aws.destroy();
  await sim.stop();
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => ({ name: "none", status: 200, message: "" }),
    (e: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => ({
      name: e.name,
      status: e.$metadata?.httpStatusCode,
      message: e.message,
    }),
  );

const control = async (method: string, body?: unknown) => {
  const res = await fetch(`${sim.endpoint}/_sim/allow-actions`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
};

describe("query services", () => {
  it("refuses an EC2 call outside the list with UnauthorizedOperation naming the action", async () => {
    sim.setAllowActions(["autoscaling:DescribeAutoScalingGroups"]);
    expect(await failure(aws.ec2.send(new DescribeVpcsCommand({})))).toEqual({
      name: "UnauthorizedOperation",
      status: 403,
      message: "You are not authorized to perform: ec2:DescribeVpcs",
    });
    await aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
  });

  it("names ELBv2 actions with the elasticloadbalancing prefix and refuses with AccessDenied", async () => {
    sim.setAllowActions(["ec2:DescribeVpcs"]);
    const f = await failure(aws.elbv2.send(new DescribeLoadBalancersCommand({})));
    expect([f.name, f.status]).toEqual(["AccessDenied", 403]);
    sim.setAllowActions(["elasticloadbalancing:DescribeLoadBalancers"]);
    await aws.elbv2.send(new DescribeLoadBalancersCommand({}));
  });
});

describe("S3", () => {
  it("refuses a request outside the list with S3's AccessDenied 403", async () => {
    sim.setAllowActions(["s3:PutObject"]);
    const f = await failure(aws.s3.send(new GetObjectCommand({ Bucket: "cfg", Key: "user-data" })));
    expect(f).toEqual({ name: "AccessDenied", status: 403, message: "Access Denied" });
    const raw = await fetch(`${sim.endpoint}/cfg/user-data`);
    expect(raw.status).toBe(403);
    expect(await raw.text()).toMatch(/<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>/);
  });

  it("lets s3:GetObject cover GetObject and HeadObject", async () => {
    sim.setAllowActions(["s3:GetObject"]);
    const got = await aws.s3.send(new GetObjectCommand({ Bucket: "cfg", Key: "user-data" }));
    expect(await got.Body?.transformToString()).toBe("hello");
    await aws.s3.send(new HeadObjectCommand({ Bucket: "cfg", Key: "user-data" }));
    expect(
      (await failure(aws.s3.send(new PutObjectCommand({ Bucket: "cfg", Key: "x", Body: "" })))).name,
    ).toBe("AccessDenied");
  });

  it("lets s3:ListBucket cover listings and HeadBucket, and nothing else", async () => {
    sim.setAllowActions(["s3:ListBucket"]);
    const listed = await aws.s3.send(new ListObjectsV2Command({ Bucket: "cfg" }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(["user-data"]);
    await aws.s3.send(new HeadBucketCommand({ Bucket: "cfg" }));
    for (const call of [
      () => aws.s3.send(new CreateBucketCommand({ Bucket: "other" })),
      () => aws.s3.send(new DeleteObjectCommand({ Bucket: "cfg", Key: "user-data" })),
    ])
      expect((await failure(call())).name).toBe("AccessDenied");
  });
});

describe("the control route", () => {
  it("sets, shows and lifts the list at runtime", async () => {
    expect(await control("PUT", { actions: ["s3:ListBucket"] })).toEqual({
      status: 200,
      body: { actions: ["s3:ListBucket"] },
    });
    expect((await failure(aws.ec2.send(new DescribeVpcsCommand({})))).name).toBe("UnauthorizedOperation");
    expect(await control("GET")).toEqual({ status: 200, body: { actions: ["s3:ListBucket"] } });
    expect(await control("PUT", { actions: null })).toEqual({ status: 200, body: { actions: null } });
    await aws.ec2.send(new DescribeVpcsCommand({}));
  });

  it("refuses a body that is not a list of action names", async () => {
    const r = await control("PUT", { actions: "ec2:*" });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: 'expected {"actions": ["service:Action", ...]} or {"actions": null}',
    });
  });
});

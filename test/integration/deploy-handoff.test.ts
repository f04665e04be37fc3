// Delegated destroy (docs/spec/deploy.md#delegated-destroy): instances of the listed components are detached
// from their group and POSTed to the handler with exactly the specified fields
// (docs/spec/deploy.md#handoff-body), then forgotten; the handler must answer GET with 2xx before anything is
// changed.
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { envYaml, groups, modelYaml, run, useDeployWorld, writeFiles } from "../support/deploy.js";

const world = useDeployWorld();
let server: Server;
let getStatus = 200;
let postStatus = 202;
const received: { method: string; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += String(c)));
    req.on("end", () => {
      received.push({ method: req.method ?? "", body: body ? JSON.parse(body) : undefined });
      res.writeHead(req.method === "GET" ? getStatus : postStatus).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await writeFiles(world, {
    "env.yaml": envYaml(
      world,
      `delegated_destroy:\n  uri: http://127.0.0.1:${port}/handoff\n  components: [back]\n  user_data: {queue: drain-1}\n`,
    ),
    "two.yaml": modelYaml({ back: { image: "reg/back:1", replicas: 2 } }),
    "one.yaml": modelYaml({ back: { image: "reg/back:1", replicas: 1 } }),
    "three.yaml": modelYaml({ back: { image: "reg/back:1", replicas: 3 } }),
  });
});
afterAll(() => new Promise((r) => server.close(r)));

async function ec2(ids: string[]) {
  const out = await world.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

it("hands off the instances a scale-down removes, with the specified fields", async () => {
  expect((await run(world, { model: "two.yaml" })).error?.message).toBeUndefined();
  const members = (await groups(world.aws))[0]!.Instances!.map((i) => i.InstanceId!);
  received.length = 0;
  const r = await run(world, { model: "one.yaml" });
  expect(r.error?.message).toBeUndefined();
  expect(received.map((x) => x.method)).toEqual(["GET", "POST"]);
  const body = received[1]!.body as { ec2_instance_id: string };
  expect(members).toContain(body.ec2_instance_id);
  const [instance] = await ec2([body.ec2_instance_id]);
  expect(body).toEqual({
    ec2_region: "us-east-1",
    ec2_instance_id: instance!.InstanceId,
    ip_address: instance!.PrivateIpAddress,
    project: "shop",
    component: "back",
    user_data: { queue: "drain-1" },
  });
  // Handed off: still running, no longer in the group, its hand-off tag cleared.
  expect(instance!.State?.Name).toBe("running");
  expect((await groups(world.aws))[0]!.Instances!.map((i) => i.InstanceId)).not.toContain(
    body.ec2_instance_id,
  );
  expect(instance!.Tags?.find((t) => t.Key === "skopos:handoff")).toBeUndefined();
});

it("stops before any change when the handler does not answer GET with 2xx", async () => {
  getStatus = 503;
  received.length = 0;
  const r = await run(world, { operation: "destroy" });
  getStatus = 200;
  expect(r.error?.message).toMatch(
    /^delegated destroy: GET http:\/\/127\.0\.0\.1:\d+\/handoff \(pre-flight check\) answered 503, expected 2xx$/,
  );
  expect(received.map((x) => x.method)).toEqual(["GET"]);
  expect(await groups(world.aws)).toHaveLength(1);
});

it("hands off on the next run an instance detached before its POST failed", async () => {
  expect((await run(world, { model: "three.yaml" })).error?.message).toBeUndefined();
  postStatus = 500;
  const failed = await run(world, { model: "two.yaml" });
  postStatus = 202;
  expect(failed.error?.message).toMatch(/answered 500, expected 2xx/);
  const detached = (received.at(-1)!.body as { ec2_instance_id: string }).ec2_instance_id;
  const [instance] = await ec2([detached]);
  expect(instance!.Tags?.find((t) => t.Key === "skopos:handoff")?.Value).toBe("pending");
  received.length = 0;
  const again = await run(world, { model: "two.yaml" });
  expect(again.error?.message).toBeUndefined();
  expect(again.out).toMatch(
    /back: resume: 1 detached instance\(s\) not yet handed to the delegated-destroy handler/,
  );
  expect(
    received
      .filter((x) => x.method === "POST")
      .map((x) => (x.body as { ec2_instance_id: string }).ec2_instance_id),
  ).toEqual([detached]);
  const [after] = await ec2([detached]);
  expect(after!.Tags?.find((t) => t.Key === "skopos:handoff")).toBeUndefined();
});

it("hands off every instance on destroy and deletes the group", async () => {
  const members = (await groups(world.aws))[0]!.Instances!.map((i) => i.InstanceId!);
  received.length = 0;
  const r = await run(world, { operation: "destroy" });
  expect(r.error?.message).toBeUndefined();
  expect(
    received
      .filter((x) => x.method === "POST")
      .map((x) => (x.body as { ec2_instance_id: string }).ec2_instance_id),
  ).toEqual(members);
  expect(await groups(world.aws)).toEqual([]);
  expect((await ec2(members)).map((i) => i.State?.Name)).toEqual(["running", "running"]);
});

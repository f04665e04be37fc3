// image_check_type: docker against a real registry on loopback: the digest is stored on
// the group; a tag re-pushed with other content reports the running version as "unknown" and an
// upgrade is planned; basic auth from the Docker config file; limited mode with the default check.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryResolvers } from "#shared/registry/resolver-factory.js";
import { buildBusyboxImage } from "../support/busybox-image.js";
import { startRegistry, type Registry } from "../support/registry.js";
import { createTemplate } from "../support/autoscaling.js";
import {
  envYaml,
  groups,
  groupsByName,
  modelYaml,
  precreateFront,
  run,
  tagOf,
  useDeployWorld,
  writeFiles,
} from "../support/deploy.js";

const world = useDeployWorld();

const dockerEnv = () => envYaml(world).replace("image_check_type: none", "image_check_type: docker");
const byName = () => groupsByName(world.aws);

describe("image_check_type: docker, anonymous registry", () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry.stop());

  it("stores the digest on the group; a re-pushed tag makes the running version unknown and plans an upgrade", async () => {
    const first = await buildBusyboxImage({ registry, repository: "shop/front", tag: "1" });
    await writeFiles(world, {
      "env.yaml": dockerEnv(),
      "v1.yaml": modelYaml({ front: { image: first.ref, replicas: 1 } }),
    });
    const r = await run(world, { model: "v1.yaml" });
    expect(r.error?.message).toBeUndefined();
    expect(tagOf((await byName())["shop.front_A"], "skopos:image_digest")).toBe(first.digest);
    expect((await run(world, { model: "v1.yaml" })).out).toMatch(/nothing to do/);

    // The tag portion of the reported image ID is replaced with "unknown".
    const second = await buildBusyboxImage({
      registry,
      repository: "shop/front",
      tag: "1",
      cmd: ["/bin/sh", "-c", "exec httpd -f -p 127.0.0.1:8081"],
    });
    expect(second.digest).not.toBe(first.digest);
    const upgrade = await run(world, { model: "v1.yaml" });
    expect(upgrade.error?.message).toBeUndefined();
    expect(upgrade.out).toContain(`${registry.host}/shop/front:unknown`);
    const g = await byName();
    expect(Object.keys(g)).toEqual(["shop.front_B"]);
    expect(tagOf(g["shop.front_B"], "skopos:image_digest")).toBe(second.digest);
  });

  it("stops before any change when a model image is not in its registry", async () => {
    await writeFiles(world, {
      "missing.yaml": modelYaml({ front: { image: `${registry.host}/shop/front:404`, replicas: 1 } }),
    });
    world.sim.resetCallCounts();
    const r = await run(world, { model: "missing.yaml" });
    expect(r.ok).toBe(false);
    expect(r.error?.message).toMatch(/shop\/front:404/);
    expect(Object.keys(world.sim.callCounts()).filter((op) => /:(Create|Update|Delete)/.test(op))).toEqual(
      [],
    );
  });

  it("destroys without asking the registry", async () => {
    await registry.stop();
    const r = await run(world, { operation: "destroy" });
    expect(r.error?.message).toBeUndefined();
    expect(await groups(world.aws)).toEqual([]);
    registry = await startRegistry();
  });
});

describe("image_check_type: docker, htpasswd registry", () => {
  const auth = { username: "deployer", password: "s3cret" };
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry({ auth });
  });
  afterAll(() => registry.stop());

  it("reads basic credentials from the Docker config file", async () => {
    const image = await buildBusyboxImage({ registry, repository: "shop/back", tag: "7" });
    const dockerConfig = join(world.dir, "docker");
    await mkdir(dockerConfig, { recursive: true });
    const token = Buffer.from(`${auth.username}:${auth.password}`).toString("base64");
    await writeFile(
      join(dockerConfig, "config.json"),
      JSON.stringify({ auths: { [registry.host]: { auth: token } } }),
    );
    await writeFiles(world, {
      "env.yaml": dockerEnv(),
      "back.yaml": modelYaml({ back: { image: image.ref, replicas: 1 } }),
    });
    const anonymous = await run(world, { model: "back.yaml" });
    expect(anonymous.ok).toBe(false);
    expect(anonymous.error?.message).toMatch(/docker login/);

    const resolvers = registryResolvers({ env: { DOCKER_CONFIG: dockerConfig }, home: world.dir });
    const r = await run(world, { model: "back.yaml" }, { resolvers });
    expect(r.error?.message).toBeUndefined();
    expect(tagOf((await byName())["shop.back_A"], "skopos:image_digest")).toBe(image.digest);
    expect((await run(world, { operation: "destroy" }, { resolvers })).ok).toBe(true);
  });
});

describe("limited-permissions mode with the default image check (docker)", () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => registry.stop());

  it("resolves the tagged images and deploys onto the matching side", async () => {
    const image = await buildBusyboxImage({ registry, repository: "shop/front", tag: "1" });
    await createTemplate(world.aws, "made-by-hand");
    for (const [side, tag] of [
      ["A", image.ref],
      ["B", `${registry.host}/shop/front:2`],
    ] as const) {
      await precreateFront(world, { project: "lim", side, image: tag, maxSize: 2 });
    }
    await writeFiles(world, {
      "limited.yaml": "lb:\n  web: {target_group: tg-web, port: 8080}\n",
      "lim.yaml": modelYaml({ front: { image: image.ref, replicas: 1 } }),
    });
    const r = await run(world, { model: "lim.yaml", env: "limited.yaml", project: "lim" });
    expect(r.error?.message).toBeUndefined();
    const g = await byName();
    expect(g["lim.front_A"]?.DesiredCapacity).toBe(1);
    expect(g["lim.front_B"]?.DesiredCapacity).toBe(0);
  });
});

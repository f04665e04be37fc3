// Digest resolution against a real docker-registry behind htpasswd Basic auth, with credentials
// read from login files in a temporary directory (never the machine's own ~/.docker).
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseImageRef, type ImageRef } from "#shared/image-ref/parse.js";
import { createRegistryClient } from "#shared/registry/client.js";
import { RegistryError } from "#shared/registry/errors.js";
import { registryCredentials } from "#shared/registry/load-credentials.js";
import { buildBusyboxImage, type BusyboxImage } from "../support/busybox-image.js";
import { startRegistry, type Registry } from "../support/registry.js";

const auth = { username: "ci", password: "pa:ss-w0rd" };
const b64 = (s: string) => Buffer.from(s).toString("base64");

const refOf = (image: string): ImageRef => {
  const parsed = parseImageRef(image);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.ref;
};

describe("registry client: docker-registry with htpasswd", () => {
  let registry: Registry;
  let image: BusyboxImage;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "registry-auth-"));
    registry = await startRegistry({ auth });
    image = await buildBusyboxImage({ registry, repository: "team/private", tag: "1" });
  });

  afterAll(async () => {
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Resolves the pushed image with no login files but these: "config.json" in $DOCKER_CONFIG,
   * "auth.json" as $REGISTRY_AUTH_FILE. The home directory is fresh, so no other file is read.
   */
  async function resolveWith(name: string, files: { "config.json"?: unknown; "auth.json"?: unknown }) {
    const home = join(dir, name);
    await mkdir(home);
    const env = { DOCKER_CONFIG: home, REGISTRY_AUTH_FILE: join(home, "auth.json") };
    for (const [file, content] of Object.entries(files))
      await writeFile(join(home, file), JSON.stringify(content));
    const client = createRegistryClient({ credentials: registryCredentials({ env, home }) });
    try {
      return await client.resolveDigest(refOf(image.ref));
    } finally {
      await client.close();
    }
  }

  it("resolves with the login from the Docker config file (auths.<registry>.auth)", async () => {
    const config = { auths: { [registry.host]: { auth: b64(`${auth.username}:${auth.password}`) } } };
    expect((await resolveWith("docker", { "config.json": config })).digest).toBe(image.digest);
  });

  it("resolves with podman's auth file named by REGISTRY_AUTH_FILE", async () => {
    const file = { auths: { [`${registry.host}/team`]: { auth: b64(`${auth.username}:${auth.password}`) } } };
    expect((await resolveWith("podman", { "auth.json": file })).digest).toBe(image.digest);
  });

  it.each([
    ["without a login", () => ({})],
    [
      "with a wrong password",
      () => ({ "auth.json": { auths: { [registry.host]: { auth: b64("ci:wrong") } } } }),
    ],
  ])("fails %s, saying how to log in", async (name, files) => {
    const err = (await resolveWith(name.replace(/ /g, "-"), files()).catch(
      (e: unknown) => e,
    )) as RegistryError;
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({
      code: "RegistryUnauthorized",
      status: 401,
      registryCode: "UNAUTHORIZED",
      exitCode: 2,
    });
    expect(err.message).toBe(
      `resolve image digest: ${image.ref}: unauthorised (HTTP 401 UNAUTHORIZED: authentication required): ` +
        `log in with docker login ${registry.host} or set image_check_type: none`,
    );
  });
});

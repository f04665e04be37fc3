import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseImageRef, type ImageRef } from "#shared/image-ref/parse.js";
import type { Run } from "#shared/proc/run.js";
import { registryCredentials } from "#shared/registry/load-credentials.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const ref = (s: string): ImageRef => {
  const parsed = parseImageRef(s);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.ref;
};

describe("registryCredentials: reading the login files", () => {
  let home: string;
  const env = () => ({
    DOCKER_CONFIG: join(home, "docker"),
    XDG_RUNTIME_DIR: join(home, "run"),
    XDG_CONFIG_HOME: join(home, "config"),
  });
  const helperCalls: string[] = [];
  const run: Run = async (argv, opts) => {
    helperCalls.push(`${argv.join(" ")} <${opts?.input}`);
    return { argv, exitCode: 0, stdout: '{"Username":"from-helper","Secret":"h"}', stderr: "" };
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "registry-creds-"));
    await mkdir(join(home, "docker"));
    await mkdir(join(home, "run", "containers"), { recursive: true });
    await writeFile(
      join(home, "docker", "config.json"),
      JSON.stringify({
        auths: { "a.example": { auth: b64("docker:a") }, "b.example": { auth: b64("docker:b") } },
        credHelpers: { "c.example": "fake" },
      }),
    );
    await writeFile(
      join(home, "run", "containers", "auth.json"),
      JSON.stringify({ auths: { "b.example": { auth: b64("podman:b") } } }),
    );
  });

  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it.each([
    ["a.example/app", { username: "docker", password: "a" }],
    ["b.example/app", { username: "podman", password: "b" }],
    ["c.example/app", { username: "from-helper", password: "h" }],
    ["d.example/app", undefined],
  ])("%s: podman's auth.json first, then Docker's config.json and its helpers", async (image, expected) => {
    expect(await registryCredentials({ env: env(), home, run })(ref(image))).toEqual(expected);
  });

  it("runs a credential helper with the registry on stdin", async () => {
    helperCalls.length = 0;
    await registryCredentials({ env: env(), home, run })(ref("c.example/app"));
    expect(helperCalls).toEqual(["docker-credential-fake get <c.example"]);
  });

  it("reads no file but the ones the environment and home name", async () => {
    const empty = await mkdtemp(join(tmpdir(), "registry-creds-empty-"));
    try {
      expect(await registryCredentials({ env: {}, home: empty, run })(ref("a.example/app"))).toBeUndefined();
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

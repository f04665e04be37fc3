import { describe, expect, it } from "vitest";
import {
  containerInspectArgv,
  parseContainerInspect,
  parseImageInspect,
  pullArgv,
  removeArgv,
  renderEnvFile,
  envFileProblem,
  runArgv,
  type ContainerCli,
} from "#shared/proc/argv/container.js";

const podman: ContainerCli = { program: "podman", globalArgs: ["--storage-driver", "vfs"] };
const docker: ContainerCli = { program: "docker", globalArgs: [] };

describe("container argv", () => {
  it("puts global flags before the subcommand", () => {
    expect(pullArgv(podman, "r/app@sha256:ab", ["--tls-verify=false"])).toEqual([
      "podman",
      "--storage-driver",
      "vfs",
      "pull",
      "--tls-verify=false",
      "r/app@sha256:ab",
    ]);
    expect(containerInspectArgv(docker, "app")).toEqual(["docker", "container", "inspect", "app"]);
    expect(removeArgv(docker, "app")).toEqual(["docker", "rm", "-f", "app"]);
  });

  const spec = {
    name: "app",
    image: "r/app:1",
    env: { B: "2", A: "s3cret" },
    ports: ["8080:80"],
    volumes: ["/release:/release:ro"],
    labels: { "x.b": "2", "x.a": "1" },
    restart: "unless-stopped",
    networkHost: true,
    stopTimeoutSeconds: 3,
    extraArgs: ["--init"],
    command: ["httpd", "-f"],
  };

  it("builds run with sorted labels, the env file, ports, volumes, then the image and command", () => {
    expect(runArgv(docker, spec, "/run/asg-release/e/env").join(" ")).toBe(
      "docker run --detach --name app --restart unless-stopped --network host --stop-timeout 3" +
        " --label x.a=1 --label x.b=2 --env-file /run/asg-release/e/env --publish 8080:80" +
        " --volume /release:/release:ro --init r/app:1 httpd -f",
    );
  });

  it("never puts an environment value in argv, where ps shows it", () => {
    expect(runArgv(podman, spec, "/f").join(" ")).not.toContain("s3cret");
    expect(runArgv(podman, spec, "/f")).not.toContain("--env");
    expect(() => runArgv(podman, spec)).toThrow("a container environment is passed in an env file");
    expect(runArgv(podman, { ...spec, env: {} })).not.toContain("--env-file");
  });
});

describe("renderEnvFile", () => {
  it("writes sorted NAME=value lines, values as they are", () => {
    expect(renderEnvFile({ B: " two words ", A: 'x="y"#z' })).toBe('A=x="y"#z\nB= two words \n');
    expect(renderEnvFile({})).toBe("");
  });

  it.each([
    ["MULTI", "a\nb", "a value on one line"],
    ["CR", "a\r", "a value on one line"],
    ["BAD NAME", "v", "a name with no spaces or `=`"],
    ["#COMMENT", "v", "not starting with `#`"],
  ])("refuses %j = %j, which neither CLI could read back", (name, value, problem) => {
    expect(envFileProblem(name, value)).toContain(problem);
    expect(() => renderEnvFile({ [name]: value })).toThrow(problem);
  });
});

describe("parseContainerInspect", () => {
  it("reads podman's output", () => {
    const out = JSON.stringify([
      {
        Id: "2726",
        Name: "app",
        Image: "a603",
        ImageName: "localhost/hello:1",
        State: { Status: "running", Running: true },
        Config: { Image: "localhost/hello:1", Labels: { a: "b" } },
      },
    ]);
    expect(parseContainerInspect(out)).toEqual({
      id: "2726",
      name: "app",
      running: true,
      status: "running",
      imageRef: "localhost/hello:1",
      imageId: "sha256:a603",
      labels: { a: "b" },
    });
  });

  it("reads docker's output (leading slash in the name, no labels)", () => {
    const out = JSON.stringify([
      {
        Id: "c1",
        Name: "/app",
        Image: "sha256:ff",
        State: { Status: "exited", Running: false },
        Config: { Image: "r/app:1", Labels: null },
      },
    ]);
    expect(parseContainerInspect(out)).toMatchObject({
      name: "app",
      running: false,
      imageRef: "r/app:1",
      imageId: "sha256:ff",
      labels: {},
    });
  });

  it("treats [] and empty output as absent", () => {
    expect(parseContainerInspect("[]\n")).toBeUndefined();
    expect(parseContainerInspect("")).toBeUndefined();
  });

  it("rejects output that is not JSON", () => {
    expect(() => parseContainerInspect("Error: boom")).toThrow(
      "container inspect: output is not JSON: Error: boom",
    );
  });
});

describe("parseImageInspect", () => {
  it("returns the id and repo digests", () => {
    const out = JSON.stringify([{ Id: "a603", RepoDigests: ["localhost/hello@sha256:7c"] }]);
    expect(parseImageInspect(out)).toEqual({ id: "sha256:a603", repoDigests: ["localhost/hello@sha256:7c"] });
    expect(parseImageInspect("[]")).toBeUndefined();
  });
});

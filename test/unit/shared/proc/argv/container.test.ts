import { describe, expect, it } from "vitest";
import {
  containerInspectArgv,
  parseContainerInspect,
  parseImageInspect,
  pullArgv,
  removeArgv,
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

  it("builds run with sorted labels and env, ports, volumes, then the image and command", () => {
    expect(
      runArgv(docker, {
        name: "app",
        image: "r/app:1",
        env: { B: "2", A: "1" },
        ports: ["8080:80"],
        volumes: ["/release:/release:ro"],
        labels: { "x.b": "2", "x.a": "1" },
        restart: "unless-stopped",
        networkHost: true,
        stopTimeoutSeconds: 3,
        extraArgs: ["--init"],
        command: ["httpd", "-f"],
      }).join(" "),
    ).toBe(
      "docker run --detach --name app --restart unless-stopped --network host --stop-timeout 3" +
        " --label x.a=1 --label x.b=2 --env A=1 --env B=2 --publish 8080:80" +
        " --volume /release:/release:ro --init r/app:1 httpd -f",
    );
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

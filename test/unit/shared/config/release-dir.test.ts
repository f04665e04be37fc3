import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "#shared/config/agent.js";
import { parseSource } from "#shared/config/load.js";
import { systemDirProblem } from "#shared/config/release-dir.js";
import { loadServerConfig } from "#shared/config/server.js";
import { ConfigError, formatIssue } from "#shared/errors.js";

describe("systemDirProblem", () => {
  it.each([
    "/",
    "/run",
    "/dev",
    "/tmp",
    "/boot",
    "/home",
    "/var",
    "/proc",
    "/sys",
    "/etc",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib64",
    "/libx32",
    "/root",
  ])("refuses the system directory %s", (p) => {
    expect(systemDirProblem(p)).toBe(`${p} is a system directory`);
  });

  it.each([
    ["/run/release", "/run/release is under /run, a system directory"],
    ["/proc/1/root", "/proc/1/root is under /proc, a system directory"],
    ["/sys/fs/x", "/sys/fs/x is under /sys, a system directory"],
    ["/etc/release", "/etc/release is under /etc, a system directory"],
    ["/usr/local/release", "/usr/local/release is under /usr, a system directory"],
    ["/dev/shm/r", "/dev/shm/r is under /dev, a system directory"],
    ["/lib/modules", "/lib/modules is under /lib, a system directory"],
  ])("refuses %s, under a system directory", (p, why) => {
    expect(systemDirProblem(p)).toBe(why);
  });

  it("sees through dots and slashes", () => {
    expect(systemDirProblem("/release/../etc/")).toBe("/etc is a system directory");
    expect(systemDirProblem("//var//")).toBe("/var is a system directory");
    expect(systemDirProblem("/release/./../")).toBe("/ is a system directory");
  });

  it.each([
    "/release",
    "/srv/release",
    "/var/release",
    "/home/app/release",
    "/mnt/release",
    "/opt/shop",
    "/library",
  ])("accepts %s", (p) => {
    expect(systemDirProblem(p)).toBeUndefined();
  });
});

const server = (release: string) => `project: shop
source: /srv/shop
release:
${release}
targets: { asg_names: [web] }
ssh: { key: /k, known_hosts: /kh }
`;

const serverIssues = (text: string): string[] => {
  const loaded = parseSource("server.yaml", text);
  if (!loaded.source) throw new Error("expected YAML");
  return loadServerConfig(loaded.source).issues.map(formatIssue);
};

describe("release directories in the configuration", () => {
  it("refuses a system directory as release.mount_path and release.instance_path, at their position", () => {
    expect(serverIssues(server("  mount_path: /var\n  instance_path: /run/release"))).toEqual([
      'server.yaml:4:15: release.mount_path: expected a directory of its own like "/release", got "/var": /var is a system directory',
      'server.yaml:5:18: release.instance_path: expected a directory of its own like "/release", got "/run/release": /run/release is under /run, a system directory',
    ]);
  });

  it("accepts the defaults and a directory of its own", () => {
    expect(serverIssues(server("  mount_path: /srv/release\n  instance_path: /var/release"))).toEqual([]);
  });

  it("refuses a system directory as the agent's mount.path", () => {
    const text = `project: shop
pointer: { url: "http://127.0.0.1:8080" }
mount: { path: /tmp }
container: { image: "127.0.0.1:5099/demo/hello:1" }
readiness: { check: { http: { url: "http://127.0.0.1:8081/" } } }
`;
    let issues: string[] = [];
    try {
      parseAgentConfig("agent.yaml", text);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      issues = err.issues.map(formatIssue);
      expect(err.exitCode).toBe(2);
    }
    expect(issues).toEqual([
      'agent.yaml:3:16: mount.path: expected a directory of its own like "/release", got "/tmp": /tmp is a system directory',
    ]);
  });
});

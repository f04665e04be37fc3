import { describe, expect, it } from "vitest";
import { settingsFrom } from "../../../release-server/config.js";
import { DEFAULT_PROJECT_TAG, loadServerConfig, serverSchema } from "#shared/config/server.js";
import { ec2AsgSchema } from "#shared/config/ec2-asg-schema.js";
import { tagKeys } from "../../../release-server/deploy/tags.js";
import { parseSource } from "#shared/config/load.js";

const minimal = {
  project: "shop",
  source: "/srv/shop",
  targets: { asg_names: ["web"] },
  ssh: { key: "/k", known_hosts: "/kh" },
};

describe("targets", () => {
  const targetsOf = (targets?: unknown) => {
    const { targets: _omit, ...rest } = minimal;
    return settingsFrom(serverSchema.parse(targets === undefined ? rest : { ...rest, targets }), "/s").publish
      .targets;
  };

  it("are the project's groups, as the deploy path tags them, when absent", () => {
    expect(targetsOf()).toEqual({
      asgNames: [],
      tags: {},
      project: { key: "skopos:project", value: "shop" },
    });
    expect(targetsOf({ project_tag: "acme:project" }).project).toEqual({
      key: "acme:project",
      value: "shop",
    });
  });

  it("are only the named or tagged groups when asg_names or tags are given", () => {
    expect(targetsOf({ asg_names: ["web"] })).toEqual({ asgNames: ["web"], tags: {} });
    expect(targetsOf({ tags: { team: "web" } })).toEqual({ asgNames: [], tags: { team: "web" } });
  });

  it("look for the tag the deploy path puts on its groups, with its default tag_prefix", () => {
    const prefix = ec2AsgSchema.shape.tag_prefix.parse(undefined);
    expect(DEFAULT_PROJECT_TAG).toBe(tagKeys(prefix).project);
  });

  it("add the project's groups to the named ones with from_project: true", () => {
    expect(targetsOf({ asg_names: ["web"], from_project: true })).toEqual({
      asgNames: ["web"],
      tags: {},
      project: { key: "skopos:project", value: "shop" },
    });
  });
});

describe("settingsFrom", () => {
  it("applies the documented defaults", () => {
    const s = settingsFrom(serverSchema.parse(minimal), "/var/lib/asg-release-server");
    expect(s.publish).toMatchObject({
      dest: "/release",
      snapshotTimeoutMs: 3_600_000,
      reconcileDeadlineMs: 600_000,
      unreachable: { attempts: 3, afterMs: 60_000 },
    });
    expect(s).toMatchObject({
      releaseLabel: "code_release",
      reconcileEveryMs: 60_000,
      housekeepingEveryMs: 900_000,
    });
  });

  it("takes each setting from its key, seconds as milliseconds", () => {
    const s = settingsFrom(
      serverSchema.parse({
        ...minimal,
        release: { label: "shop-release", snapshot_timeout: 7200, instance_path: "/srv/release" },
        fanout: { unreachable_attempts: 5, unreachable_after: 30, reconcile_every: 120 },
        housekeeping_every: 3600,
      }),
      "/state",
    );
    expect(s.publish).toMatchObject({
      dest: "/srv/release",
      snapshotTimeoutMs: 7_200_000,
      unreachable: { attempts: 5, afterMs: 30_000 },
    });
    expect(s).toMatchObject({
      releaseLabel: "shop-release",
      reconcileEveryMs: 120_000,
      housekeepingEveryMs: 3_600_000,
    });
  });
});

describe("api limits", () => {
  it("have defaults; status is open unless guarded", () => {
    const open = settingsFrom(serverSchema.parse(minimal), "/state");
    expect(open.apiLimits).toMatchObject({
      maxConnections: 512,
      maxConnectionsPerClient: 64,
      maxLongPolls: 256,
      maxLongPollsPerClient: 8,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      maxBodyBytes: 65536,
    });
    expect(open.guardStatus).toBe(false);
    const withToken = serverSchema.parse({ ...minimal, token_file: "/etc/asg-release/token" });
    expect(settingsFrom(withToken, "/state").guardStatus).toBe(false);
    const guarded = serverSchema.parse({ ...minimal, token_file: "/t", api: { guard_status: true } });
    expect(settingsFrom(guarded, "/state").guardStatus).toBe(true);
  });

  it.each([
    ["api: { headers_timeout: 40 }", "api.headers_timeout: must not be longer than api.request_timeout"],
    ["api: { max_long_polls: 600 }", "api.max_long_polls: must be less than api.max_connections"],
    ["api: { guard_status: true }", "api.guard_status: needs token_file, which holds the token"],
  ])("refuses %s", (yaml, message) => {
    const text = `project: shop
source: /srv/shop
targets: { asg_names: [web] }
ssh: { key: /k, known_hosts: /kh }
${yaml}
`;
    const loaded = parseSource("server.yaml", text);
    const { issues } = loadServerConfig(loaded.source!);
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toContain(message);
  });
});

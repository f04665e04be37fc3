import { describe, expect, it } from "vitest";
import { settingsFrom } from "../../../release-server/config.js";
import { serverSchema } from "#shared/config/server.js";

const minimal = {
  project: "shop",
  source: "/srv/shop",
  targets: { asg_names: ["web"] },
  ssh: { key: "/k", known_hosts: "/kh" },
};

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

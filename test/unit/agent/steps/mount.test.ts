import { describe, expect, it } from "vitest";
import type { AgentContext } from "../../../../agent/context.js";
import { hasWantedFlags, mountOptions } from "../../../../agent/steps/mount.js";
import { parseAgentConfig } from "#shared/config/agent.js";

const ctxWith = (mount = ""): AgentContext =>
  ({
    config: parseAgentConfig(
      "agent.yaml",
      `project: shop
pointer: { url: "http://127.0.0.1:8080" }
container: { image: "r/app:1" }
readiness: { check: { tcp: { port: 80 } } }
${mount}`,
    ),
  }) as AgentContext;

describe("mountOptions", () => {
  it("is read-only, nodev and nosuid by default", () => {
    expect(mountOptions(ctxWith())).toEqual(["ro", "nodev", "nosuid"]);
  });

  it("states each flag either way, then the extra options", () => {
    expect(
      mountOptions(ctxWith("mount: { read_only: false, nodev: false, nosuid: false, options: [noatime] }\n")),
    ).toEqual(["rw", "dev", "suid", "noatime"]);
  });
});

describe("hasWantedFlags", () => {
  it("keeps a mount only with every configured flag", () => {
    const ctx = ctxWith();
    expect(hasWantedFlags(ctx, ["ro", "nosuid", "nodev", "relatime"])).toBe(true);
    // A release mounted by an older agent: remounted with nodev and nosuid.
    expect(hasWantedFlags(ctx, ["ro", "relatime"])).toBe(false);
    expect(hasWantedFlags(ctx, ["rw", "nosuid", "nodev"])).toBe(false);
    expect(hasWantedFlags(ctxWith("mount: { nosuid: false }\n"), ["ro", "nodev"])).toBe(true);
  });
});

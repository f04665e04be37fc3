import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  desiredSpec,
  ensureContainer,
  ENV_DIR_PREFIX,
  imageToRun,
  isCurrent,
  SPEC_LABEL,
  VOLUME_LABEL,
} from "../../../../agent/steps/container.js";
import type { AgentContext } from "../../../../agent/context.js";
import { parseAgentConfig } from "#shared/config/agent.js";
import { CommandError } from "#shared/errors.js";
import type { Run, RunOptions } from "#shared/proc/run.js";

const DIGEST = `sha256:${"e".repeat(64)}`;
const SECRET = "s3cret-db-password";
const ctxWith = (image: string, extra = "", statusDir = "/run/asg-release"): AgentContext =>
  ({
    config: parseAgentConfig(
      "agent.yaml",
      `project: shop
pointer: { url: "http://127.0.0.1:8080" }
container:
  image: ${image}
  cli: podman
  ports: ["8081:80"]
  env: { MODE: prod, DB_PASSWORD: ${SECRET} }
${extra}readiness:
  check: { tcp: { port: 8081 } }
status_file: ${statusDir}/status.json
`,
    ),
  }) as AgentContext;

describe("imageToRun", () => {
  it.each([
    ["127.0.0.1:5099/demo/hello:1", undefined, "127.0.0.1:5099/demo/hello:1"],
    ["127.0.0.1:5099/demo/hello:1", DIGEST, `127.0.0.1:5099/demo/hello@${DIGEST}`],
    [`r.example/app@sha256:${"f".repeat(64)}`, DIGEST, `r.example/app@sha256:${"f".repeat(64)}`],
    ["nginx:1.27", DIGEST, `nginx@${DIGEST}`],
  ])("%s with digest %s -> %s", (image, digest, want) => expect(imageToRun(image, digest)).toBe(want));
});

describe("desiredSpec", () => {
  const input = { volumeId: "vol-1", releaseId: "r1" };

  it("mounts the release read-only and labels the container with its spec and volume", () => {
    const spec = desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1"), input);
    expect(spec.volumes).toEqual(["/release:/release:ro"]);
    expect(spec.restart).toBe("unless-stopped");
    expect(spec.labels[VOLUME_LABEL]).toBe("vol-1");
    expect(spec.labels[SPEC_LABEL]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("gives the same hash for the same settings and another for another image or setting", () => {
    const a = desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1"), input).labels[SPEC_LABEL];
    expect(desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1"), input).labels[SPEC_LABEL]).toBe(a);
    expect(desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:2"), input).labels[SPEC_LABEL]).not.toBe(a);
    expect(
      desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1", "  network_host: true\n"), input).labels[SPEC_LABEL],
    ).not.toBe(a);
  });

  it("gives another hash for another environment value", () => {
    const a = desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1"), input).labels[SPEC_LABEL];
    const changed = ctxWith("127.0.0.1:5099/demo/hello:1");
    changed.config.container.env.DB_PASSWORD = "another";
    expect(desiredSpec(changed, input).labels[SPEC_LABEL]).not.toBe(a);
  });

  it("keeps a container only with the same spec on the same release volume", () => {
    const spec = desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1"), input);
    const state = {
      id: "c",
      name: "app",
      running: true,
      status: "running",
      imageRef: spec.image,
      imageId: "sha256:1",
      labels: { ...spec.labels },
    };
    expect(isCurrent(state, spec)).toBe(true);
    expect(isCurrent({ ...state, labels: { ...spec.labels, [VOLUME_LABEL]: "vol-0" } }, spec)).toBe(false);
    expect(isCurrent({ ...state, labels: {} }, spec)).toBe(false);
  });
});

describe("ensureContainer", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "container-step-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A CLI without the container or the image; `run` answers with `onRun`. */
  const fakeCli = (onRun: (argv: readonly string[], opts?: RunOptions) => Promise<void>) => {
    const calls: { argv: readonly string[]; opts?: RunOptions }[] = [];
    const r: Run = async (argv, opts) => {
      calls.push({ argv, ...(opts ? { opts } : {}) });
      if (argv.includes("run")) await onRun(argv, opts);
      const missing = argv.includes("inspect");
      return {
        argv,
        exitCode: missing ? 1 : 0,
        stdout: "",
        stderr: missing ? "Error: no such container" : "",
      };
    };
    return { calls, run: r };
  };

  it("hands the environment over in a 0600 file in a 0700 directory, never in argv, and removes it", async () => {
    const seen: { text: string; mode: number; dirMode: number }[] = [];
    const cli = fakeCli(async (argv) => {
      const file = argv[argv.indexOf("--env-file") + 1]!;
      seen.push({
        text: await readFile(file, "utf8"),
        mode: (await stat(file)).mode & 0o777,
        dirMode: (await stat(join(file, ".."))).mode & 0o777,
      });
    });
    const ctx = { ...ctxWith("127.0.0.1:5099/demo/hello:1", "", dir), run: cli.run };
    expect((await ensureContainer(ctx, { volumeId: "vol-1", releaseId: "r1" })).action).toBe("created");
    expect(cli.calls.map((c) => c.argv[1])).toEqual(["container", "image", "pull", "run"]);
    for (const c of cli.calls) expect(c.argv.join(" ")).not.toContain(SECRET);
    expect(seen).toEqual([{ text: `DB_PASSWORD=${SECRET}\nMODE=prod\n`, mode: 0o600, dirMode: 0o700 }]);
    expect((await readdir(dir)).filter((n) => n.startsWith(ENV_DIR_PREFIX))).toEqual([]);
  });

  it("names a failed run by the CLI and subcommand, without its arguments, and still removes the file", async () => {
    const cli = fakeCli(async (argv, opts) => {
      throw new CommandError(argv, 125, "Error: the image has no such platform", {
        ...(opts?.command ? { command: opts.command } : {}),
      });
    });
    const ctx = { ...ctxWith("127.0.0.1:5099/demo/hello:1", "", dir), run: cli.run };
    const err = (await ensureContainer(ctx, { volumeId: "vol-1", releaseId: "r1" }).catch(
      (e: unknown) => e,
    )) as CommandError;
    expect(err.message).toBe("command failed (exit 125): podman run: Error: the image has no such platform");
    expect(JSON.stringify(err)).not.toContain(SECRET);
    expect(JSON.stringify(err)).not.toContain("--env-file");
    expect(await readdir(dir)).toEqual([]);
  });

  it("removes env directories a killed run left behind", async () => {
    await mkdtemp(join(dir, ENV_DIR_PREFIX));
    const ctx = { ...ctxWith("127.0.0.1:5099/demo/hello:1", "", dir), run: fakeCli(async () => {}).run };
    await ensureContainer(ctx, { volumeId: "vol-1", releaseId: "r1" });
    expect(await readdir(dir)).toEqual([]);
  });
});

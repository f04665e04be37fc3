// Step 5: the component's container running the configured image with the release mounted. What
// it should be is hashed into a label, with the release volume: a container with the same hash on
// the same volume is kept (started if stopped); anything else is replaced. So a different image, a
// changed setting or a catch-up onto a new volume each replace it, and a re-run changes nothing.
// The environment reaches `run` through a root-only env file, never the command line.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AsgReleaseError } from "#shared/errors.js";
import { parseImageRef } from "#shared/image-ref/parse.js";
import { familiarImageRef } from "#shared/image-ref/format.js";
import {
  containerInspectArgv,
  imageInspectArgv,
  parseContainerInspect,
  parseImageInspect,
  pullArgv,
  removeArgv,
  renderEnvFile,
  runArgv,
  startArgv,
  type ContainerCli,
  type ContainerSpec,
  type ContainerState,
} from "#shared/proc/argv/container.js";
import type { AgentContext } from "../context.js";

export const SPEC_LABEL = "asg-release.spec";
export const VOLUME_LABEL = "asg-release.volume-id";
export const RELEASE_LABEL = "asg-release.release-id";

/** The private directories the env file is written in, next to the status file (/run/asg-release). */
export const ENV_DIR_PREFIX = ".container-env-";
/** Stands for the env file's path in the spec hash: the real one differs on every run. */
const ENV_FILE_IN_HASH = "ENV_FILE";

export interface ContainerOutcome {
  action: "kept" | "started" | "created" | "replaced";
  image: string;
  name: string;
}

export interface ContainerInput {
  volumeId: string;
  releaseId: string;
  /** From the pointer, when it pins the image. */
  imageDigest?: string;
}

export function cliOf(ctx: AgentContext): ContainerCli {
  return { program: ctx.config.container.cli, globalArgs: ctx.config.container.cli_args };
}

/** The configured image, pinned to a digest when one is known and the reference has none. */
export function imageToRun(image: string, digest: string | undefined): string {
  if (!digest) return image;
  const parsed = parseImageRef(image);
  if (!parsed.ok || parsed.ref.digest) return image;
  // Pulled by digest alone: a tag next to a digest is ignored by docker and refused by some podman versions.
  return familiarImageRef({ domain: parsed.ref.domain, path: parsed.ref.path, digest });
}

export function desiredSpec(ctx: AgentContext, input: ContainerInput): ContainerSpec {
  const c = ctx.config.container;
  const image = imageToRun(c.image, input.imageDigest);
  const spec: ContainerSpec = {
    name: c.name,
    image,
    env: c.env,
    ports: c.ports,
    volumes: [`${ctx.config.mount.path}:${c.release_target}:ro`, ...c.volumes],
    labels: {},
    restart: c.restart,
    networkHost: c.network_host,
    stopTimeoutSeconds: c.stop_timeout,
    extraArgs: c.run_args,
    command: c.command,
  };
  const hasEnv = Object.keys(spec.env).length > 0;
  const argv = runArgv(cliOf(ctx), spec, hasEnv ? ENV_FILE_IN_HASH : undefined);
  // The environment is part of the spec: a changed value replaces the container.
  const env = Object.entries(spec.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hash = createHash("sha256")
    .update(JSON.stringify(hasEnv ? [argv, env] : argv))
    .digest("hex")
    .slice(0, 16);
  spec.labels = { [SPEC_LABEL]: hash, [VOLUME_LABEL]: input.volumeId, [RELEASE_LABEL]: input.releaseId };
  return spec;
}

/** Kept when both the spec and the release volume match. */
export function isCurrent(state: ContainerState, spec: ContainerSpec): boolean {
  return (
    state.labels[SPEC_LABEL] === spec.labels[SPEC_LABEL] &&
    state.labels[VOLUME_LABEL] === spec.labels[VOLUME_LABEL]
  );
}

/** How a failed command is named: the CLI and its subcommand, never its arguments. */
const named = (ctx: AgentContext, sub: string) => `${ctx.config.container.cli} ${sub}`;

export async function inspectContainer(ctx: AgentContext): Promise<ContainerState | undefined> {
  const out = await ctx.run(containerInspectArgv(cliOf(ctx), ctx.config.container.name), {
    command: named(ctx, "container inspect"),
    timeoutMs: 60_000,
    // A missing container is `[]` and a non-zero exit (1 for docker, 125 for podman).
    okExitCodes: [0, 1, 125],
  });
  const state = parseContainerInspect(out.stdout);
  if (!state && out.exitCode !== 0 && !/no such/i.test(out.stderr)) {
    throw new AsgReleaseError(`${ctx.config.container.cli} container inspect failed: ${out.stderr.trim()}`);
  }
  return state;
}

export async function removeContainer(ctx: AgentContext): Promise<void> {
  const timeoutMs = (ctx.config.container.stop_timeout + 60) * 1000;
  await ctx.run(removeArgv(cliOf(ctx), ctx.config.container.name), {
    command: named(ctx, "rm"),
    timeoutMs,
    okExitCodes: [0, 1],
  });
}

async function ensureImage(ctx: AgentContext, image: string): Promise<void> {
  const cli = cliOf(ctx);
  const c = ctx.config.container;
  if (c.pull === "missing") {
    const out = await ctx.run(imageInspectArgv(cli, image), {
      command: named(ctx, "image inspect"),
      timeoutMs: 60_000,
      okExitCodes: [0, 1, 125],
    });
    if (out.exitCode === 0 && parseImageInspect(out.stdout)) return;
  }
  await ctx.run(pullArgv(cli, image, c.pull_args), {
    command: named(ctx, "pull"),
    timeoutMs: c.pull_timeout * 1000,
    signal: ctx.signal,
  });
}

export async function ensureContainer(ctx: AgentContext, input: ContainerInput): Promise<ContainerOutcome> {
  const spec = desiredSpec(ctx, input);
  const cli = cliOf(ctx);
  const state = await inspectContainer(ctx);
  const result = (action: ContainerOutcome["action"]): ContainerOutcome => ({
    action,
    image: spec.image,
    name: spec.name,
  });
  if (state && isCurrent(state, spec)) {
    if (state.running) return result("kept");
    await ctx.run(startArgv(cli, spec.name), { command: named(ctx, "start"), timeoutMs: 120_000 });
    return result("started");
  }
  // Pull before removing the old container, so a registry outage leaves the old one serving.
  await ensureImage(ctx, spec.image);
  if (state) await removeContainer(ctx);
  await withEnvFile(ctx, spec.env, (envFile) =>
    ctx.run(runArgv(cli, spec, envFile), { command: named(ctx, "run"), timeoutMs: 300_000 }),
  );
  return result(state ? "replaced" : "created");
}

/**
 * Runs `fn` with `env` in a file only root can read: mode 0600 in a fresh 0700 directory next to the
 * status file (on /run's tmpfs by default, so it never reaches a disk), removed as soon as `run` has
 * read it. Directories a killed run left behind are removed first.
 */
export async function withEnvFile<T>(
  ctx: AgentContext,
  env: Record<string, string>,
  fn: (envFile: string | undefined) => Promise<T>,
): Promise<T> {
  if (Object.keys(env).length === 0) return fn(undefined);
  const text = renderEnvFile(env);
  const base = dirname(ctx.config.status_file);
  await mkdir(base, { recursive: true, mode: 0o700 });
  for (const name of await readdir(base)) {
    if (name.startsWith(ENV_DIR_PREFIX)) await rm(join(base, name), { recursive: true, force: true });
  }
  const dir = await mkdtemp(join(base, ENV_DIR_PREFIX));
  try {
    const file = join(dir, "env");
    await writeFile(file, text, { mode: 0o600, flag: "wx" });
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

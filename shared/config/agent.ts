// The boot agent's configuration (/etc/asg-release/agent.yaml): schema, defaults and loader. The
// cloud-init template writes this file with the component's image substituted for {{image_id}}.
// Durations are whole seconds, as in the plugin's settings (docs/spec/deploy.md#lb-wait-join).
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { parseImageRef } from "../image-ref/parse.js";
import { locateIssues, rawError, sortIssues, type RawIssue } from "./issues.js";
import { readSource, parseSource, type LoadResult } from "./load.js";
import { sourceLocator } from "./locate.js";
import {
  absolutePath,
  httpUrl,
  integer,
  mapping,
  matching,
  nonEmpty,
  oneOf,
  port,
  s3Object,
} from "./schema-kit.js";
import { parseWith } from "./zod-issues.js";

export const AGENT_CONFIG_PATH = "/etc/asg-release/agent.yaml";

/** The placeholder the deploy path replaces with the component's image (docs/spec/deploy.md#image-id-subst). */
export const IMAGE_ID_PLACEHOLDER = "{{image_id}}";

const seconds = (dflt: number, min = 1) => integer(min).default(dflt);
const argList = () => z.array(z.string()).default([]);

const pointer = z
  .strictObject({
    /** Base URL of the release server: /v1/release, then /snap.txt are read from it. */
    url: httpUrl().optional(),
    /** An S3 object holding the pointer (JSON or the plain snapshot id), tried after the server. */
    s3: s3Object().optional(),
    /** Account that must own the release snapshot; the instance's own account by default. */
    owner: matching(/^\d{12}$/, 'a 12-digit AWS account id like "123456789012"').optional(),
    /** Overall deadline for finding the pointer, retries included. */
    timeout: seconds(120),
    /** Per-request timeout. */
    attempt_timeout: seconds(5),
  })
  .refine((p) => p.url !== undefined || p.s3 !== undefined, {
    error: "expected `url` (the release server) or `s3` (a pointer object), got neither",
  });

const volume = z.strictObject({
  type: z.enum(["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"]).default("gp3"),
  /** GiB; the snapshot's size when absent. */
  size: integer(1, 65536).optional(),
  iops: integer(100).optional(),
  throughput: integer(125).optional(),
  encrypted: z.boolean().optional(),
  kms_key_id: nonEmpty().optional(),
  /** Attachment device name; the first free one of /dev/sdf../dev/sdp when absent. */
  device: matching(/^\/dev\/(sd|xvd)[f-p]$/, 'a device name from "/dev/sdf" to "/dev/sdp"').optional(),
  /** Deadline for create, attach and the device appearing. */
  timeout: seconds(300),
});

const mount = z.strictObject({
  path: absolutePath().default("/release"),
  read_only: z.boolean().default(true),
  /** Extra mount options, e.g. [noatime]. */
  options: z.array(matching(/^[a-z0-9_=.,-]+$/, 'a mount option like "noatime"')).default([]),
  /** Persist the mount in /etc/fstab (by UUID, nofail). */
  fstab: z.boolean().default(true),
});

const imageRef = z.string().superRefine((value, ctx) => {
  if (value.includes(IMAGE_ID_PLACEHOLDER)) {
    ctx.addIssue({
      code: "custom",
      message: `${IMAGE_ID_PLACEHOLDER} was not replaced with the component's image`,
    });
    return;
  }
  const parsed = parseImageRef(value);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: `expected an image reference: ${parsed.problem}` });
});

const container = z.strictObject({
  /** A docker-compatible CLI. */
  cli: z.enum(["docker", "podman"]).default("docker"),
  /** Global flags before the subcommand (podman: --storage-driver, --runtime). */
  cli_args: argList(),
  image: imageRef,
  name: matching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a container name like "app"').default("app"),
  env: mapping(z.string()).default({}),
  ports: z.array(z.string()).default([]),
  /** Extra `-v` specs besides the release mount. */
  volumes: z.array(z.string()).default([]),
  network_host: z.boolean().default(false),
  restart: z.enum(["no", "always", "unless-stopped", "on-failure"]).default("unless-stopped"),
  /** Where the release appears inside the container (always read-only). */
  release_target: absolutePath().default("/release"),
  command: argList(),
  /** `missing`: pull when the image is not present (as `docker run`); `always`: pull on every boot. */
  pull: z.enum(["missing", "always"]).default("missing"),
  pull_args: argList(),
  run_args: argList(),
  stop_timeout: integer(0).default(10),
  pull_timeout: seconds(600),
});

const httpCheck = z.strictObject({
  http: z.strictObject({ url: httpUrl(), status: integer(100, 599).default(200) }),
});
const tcpCheck = z.strictObject({
  tcp: z.strictObject({ host: nonEmpty().default("127.0.0.1"), port: port() }),
});
const commandCheck = z.strictObject({ command: z.array(z.string()).min(1) });

const readiness = oneOf([httpCheck, tcpCheck, commandCheck], "one of `http`, `tcp` or `command`");

const readinessTiming = z.strictObject({
  check: readiness,
  /** Overall deadline for the service to answer. */
  timeout: seconds(300),
  attempt_timeout: seconds(5),
  /** First delay between checks; later ones back off. */
  interval: seconds(1),
});

const lifecycle = z.strictObject({
  /** The launch hook to complete; found through DescribeLifecycleHooks when absent. */
  hook: nonEmpty().optional(),
  complete: z.boolean().default(true),
});

export const agentConfigSchema = z.strictObject({
  /** Release snapshots must carry asg-release:project = this. */
  project: matching(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a project name like "shop"'),
  component: nonEmpty().optional(),
  region: matching(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region like "us-east-1"').optional(),
  pointer,
  volume: volume.prefault({}),
  mount: mount.prefault({}),
  container,
  readiness: readinessTiming,
  lifecycle: lifecycle.prefault({}),
  /** Where the status file goes (read by `asg-release-agent status`). */
  status_file: absolutePath().default("/run/asg-release/status.json"),
  /** /etc/fstab, replaceable for a root other than / */
  fstab_file: absolutePath().default("/etc/fstab"),
});

export type AgentConfig = z.output<typeof agentConfigSchema>;
export type ReadinessCheck = AgentConfig["readiness"]["check"];

/** Validates loaded YAML; returns the config or throws ConfigError with every issue and its position. */
export function agentConfigFrom(loaded: LoadResult): AgentConfig {
  if (!loaded.source) throw new ConfigError(loaded.issues);
  const parsed = parseWith(agentConfigSchema, loaded.source.data);
  const extra: RawIssue[] = [];
  const c = loaded.source.data as { volume?: { type?: string; iops?: unknown; throughput?: unknown } };
  // CreateVolume rejects these combinations; say so before any AWS call.
  if (c.volume?.throughput !== undefined && (c.volume.type ?? "gp3") !== "gp3") {
    extra.push(rawError(["volume", "throughput"], "key", "only gp3 volumes take a throughput"));
  }
  if (c.volume?.iops !== undefined && !["gp3", "io1", "io2", undefined].includes(c.volume.type)) {
    extra.push(rawError(["volume", "iops"], "key", "only gp3, io1 and io2 volumes take iops"));
  }
  const issues = sortIssues(locateIssues([...parsed.issues, ...extra], sourceLocator(loaded.source)));
  if (parsed.value === undefined || issues.some((i) => i.severity === "error")) {
    throw new ConfigError([...loaded.issues, ...issues]);
  }
  return parsed.value;
}

export async function loadAgentConfig(file: string = AGENT_CONFIG_PATH): Promise<AgentConfig> {
  return agentConfigFrom(await readSource(file));
}

export function parseAgentConfig(file: string, text: string): AgentConfig {
  return agentConfigFrom(parseSource(file, text));
}

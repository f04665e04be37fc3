// The boot agent's configuration (/etc/asg-release/agent.yaml): schema, defaults and loader. The
// cloud-init template writes this file with the component's image substituted for {{image_id}}.
// Durations are whole seconds, as in the plugin's settings (docs/spec/deploy.md#lb-wait-join).
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { parseImageRef } from "../image-ref/parse.js";
import { envFileProblem } from "../proc/argv/container.js";
import { publicKeyFrom } from "../release/pointer-signature.js";
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
import { releaseDir } from "./release-dir.js";
import { parseWith } from "./zod-issues.js";

export const AGENT_CONFIG_PATH = "/etc/asg-release/agent.yaml";

/** Where the agent remembers the signed pointer it last ran, unless `pointer.state_file` says. */
export const POINTER_STATE_FILE = "/var/lib/asg-release/pointer.json";

/** The placeholder the deploy path replaces with the component's image (docs/spec/deploy.md#image-id-subst). */
export const IMAGE_ID_PLACEHOLDER = "{{image_id}}";

const seconds = (dflt: number, min = 1) => integer(min).default(dflt);
const argList = () => z.array(z.string()).default([]);

const publicKey = z.string().superRefine((value, ctx) => {
  try {
    publicKeyFrom(value, "the value");
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
  }
});

const pointer = z
  .strictObject({
    url: httpUrl()
      .optional()
      .describe(
        "Base URL of the release server (http or https): /v1/release is read from it, and /snap.txt when no `public_key` is set.",
      ),
    s3: s3Object()
      .optional()
      .describe(
        "An S3 object holding the pointer (the JSON document; without `public_key` also a plain snapshot id), tried after the server.",
      ),
    public_key: publicKey
      .optional()
      .describe(
        "Ed25519 public key (PEM, or base64 of its 32 bytes) that must have signed the pointer; `asg-release-server init` prints it. Without it the pointer is not authenticated.",
      ),
    state_file: absolutePath()
      .optional()
      .describe(
        `Where the agent remembers the signed pointer it last ran, to refuse an older one (kept across reboots); ${POINTER_STATE_FILE} when absent.`,
      ),
    tls: z
      .strictObject({
        ca_file: absolutePath()
          .optional()
          .describe("PEM file of the CA(s) the release server's certificate must chain to."),
        fingerprint: matching(
          /^(?:sha256:)?(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/,
          'a SHA-256 fingerprint like "AB:CD:...:EF" (openssl x509 -noout -fingerprint -sha256)',
        )
          .optional()
          .describe("SHA-256 fingerprint of the release server's own certificate, pinned."),
      })
      .optional()
      .describe("How an https `url` is trusted: a CA file and/or a pinned certificate fingerprint."),
    owner: matching(/^\d{12}$/, 'a 12-digit AWS account id like "123456789012"')
      .optional()
      .describe("Account that must own the release snapshot; the instance's own account by default."),
    timeout: seconds(120).describe("Overall deadline for finding the pointer, retries included."),
    attempt_timeout: seconds(5).describe("Per-request timeout."),
  })
  .refine((p) => p.url !== undefined || p.s3 !== undefined, {
    error: "expected `url` (the release server) or `s3` (a pointer object), got neither",
  })
  // A pin or CA on a plain-HTTP url would protect nothing while looking as if it did.
  .refine((p) => !p.tls || p.url === undefined || p.url.startsWith("https:"), {
    error: "`tls` is set but `url` is not https",
    path: ["tls"],
  })
  // The same rule for editors: the JSON Schema cannot see into the refinement.
  .meta({ anyOf: [{ required: ["url"] }, { required: ["s3"] }] });

const volume = z.strictObject({
  type: z
    .enum(["gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"])
    .default("gp3")
    .describe("Volume type."),
  size: integer(1, 65536).optional().describe("GiB; the snapshot's size when absent."),
  iops: integer(100).optional().describe("Only for gp3, io1 and io2."),
  throughput: integer(125).optional().describe("MiB/s; only for gp3."),
  encrypted: z.boolean().optional().describe("Encrypt the volume."),
  kms_key_id: nonEmpty().optional().describe("KMS key for encryption."),
  device: matching(/^\/dev\/(sd|xvd)[f-p]$/, 'a device name from "/dev/sdf" to "/dev/sdp"')
    .optional()
    .describe("Attachment device name; the first free one of /dev/sdf../dev/sdp when absent."),
  timeout: seconds(300).describe("Deadline for create, attach and the device appearing."),
});

const mount = z.strictObject({
  path: releaseDir().default("/release").describe("Mount point; not a system directory."),
  read_only: z.boolean().default(true).describe("Mount read-only."),
  nodev: z
    .boolean()
    .default(true)
    .describe("Mount with nodev: device files on the release volume are not usable as devices."),
  nosuid: z
    .boolean()
    .default(true)
    .describe("Mount with nosuid: setuid and setgid bits on the release volume are ignored."),
  options: z
    .array(matching(/^[a-z0-9_=.,-]+$/, 'a mount option like "noatime"'))
    .default([])
    .describe("Extra mount options, e.g. [noatime]."),
  fstab: z.boolean().default(true).describe("Persist the mount in /etc/fstab (by UUID, nofail)."),
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
  cli: z.enum(["docker", "podman"]).default("docker").describe("A docker-compatible CLI."),
  cli_args: argList().describe("Global flags before the subcommand (podman: --storage-driver, --runtime)."),
  image: imageRef.describe(
    "Required. The image to run; the deploy path writes it in place of {{image_id}}, which must not remain.",
  ),
  name: matching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a container name like "app"')
    .default("app")
    .describe("Container name."),
  env: mapping(z.string())
    .superRefine((env, ctx) => {
      for (const [name, value] of Object.entries(env)) {
        const problem = envFileProblem(name, value);
        if (problem) ctx.addIssue({ code: "custom", path: [name], message: `expected ${problem}` });
      }
    })
    .default({})
    .describe(
      "Environment variables of the container, handed over in a root-only env file (never on the command line).",
    ),
  ports: z.array(z.string()).default([]).describe('Published ports (`-p`), e.g. "80:8080".'),
  volumes: z.array(z.string()).default([]).describe("Extra `-v` specs besides the release mount."),
  network_host: z.boolean().default(false).describe("Use the host's network."),
  restart: z
    .enum(["no", "always", "unless-stopped", "on-failure"])
    .default("unless-stopped")
    .describe("Restart policy."),
  release_target: absolutePath()
    .default("/release")
    .describe("Where the release appears inside the container (always read-only)."),
  command: argList().describe("Command and arguments after the image."),
  pull: z
    .enum(["missing", "always"])
    .default("missing")
    .describe(
      "`missing`: pull when the image is not present (as `docker run`); `always`: pull on every boot.",
    ),
  pull_args: argList().describe("Extra `pull` flags."),
  run_args: argList().describe("Extra `run` flags."),
  stop_timeout: integer(0).default(10).describe("Seconds to wait when stopping the container."),
  pull_timeout: seconds(600).describe("Deadline for pulling the image, in seconds."),
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
  check: readiness.describe("Required. Exactly one of `http`, `tcp` or `command`."),
  timeout: seconds(300).describe("Overall deadline for the service to answer."),
  attempt_timeout: seconds(5).describe("Per-check timeout."),
  interval: seconds(1).describe("First delay between checks; later ones back off."),
});

const lifecycle = z.strictObject({
  hook: nonEmpty()
    .optional()
    .describe("The launch hook to complete; found through DescribeLifecycleHooks when absent."),
  complete: z
    .boolean()
    .default(true)
    .describe("Complete the hook (CONTINUE when ready, ABANDON on failure)."),
});

export const agentConfigSchema = z.strictObject({
  project: matching(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a project name like "shop"').describe(
    "Release snapshots must carry asg-release:project = this.",
  ),
  component: nonEmpty()
    .optional()
    .describe("The component this instance runs, for people reading its status."),
  region: matching(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region like "us-east-1"')
    .optional()
    .describe("AWS region; the instance's own region when absent."),
  pointer: pointer.describe("Required. Where to find the current release: `url` or `s3` (or both)."),
  volume: volume.prefault({}).describe("The EBS volume created from the release snapshot."),
  mount: mount.prefault({}).describe("Where and how the release volume is mounted."),
  container: container.describe("Required. The container the instance runs."),
  readiness: readinessTiming.describe("Required. When the service counts as ready."),
  lifecycle: lifecycle.prefault({}).describe("The launch lifecycle hook."),
  status_file: absolutePath()
    .default("/run/asg-release/status.json")
    .describe("Where the status file goes (read by `asg-release-agent status`)."),
  fstab_file: absolutePath()
    .default("/etc/fstab")
    .describe("/etc/fstab, replaceable for a root other than /"),
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

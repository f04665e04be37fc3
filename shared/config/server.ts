// The release server's configuration: the code tree it watches, the release volume it copies into,
// which Auto Scaling groups receive releases and how (ssh, concurrency, deadlines), how many
// releases to keep, and its HTTP API (docs/design.md#the-release-path).
import { z } from "zod";
import type { ConfigIssue } from "../errors.js";
import { namePattern } from "../naming/names.js";
import { hasErrors, locateIssues, rawError, sortIssues, type RawIssue } from "./issues.js";
import type { Source } from "./load.js";
import { sourceLocator } from "./locate.js";
import { isMapping } from "./path.js";
import { absolutePath, integer, mapping, matching, nonEmpty, port, s3Object } from "./schema-kit.js";
import { releaseDir } from "./release-dir.js";
import { parseWith } from "./zod-issues.js";

export { defaultServerConfigPath } from "./server-path.js";

/** ext4 takes labels of up to 16 bytes; fstab and blkid want them without spaces. */
const fsLabel = /^[A-Za-z0-9_.-]{1,16}$/;

/** The tag the deploy path puts on every group it makes (its `ec2_asg.tag_prefix`, then "project"). */
export const DEFAULT_PROJECT_TAG = "skopos:project";

const targetsSchema = z.strictObject({
  asg_names: z.array(nonEmpty()).default([]).describe("Groups by name."),
  tags: mapping(z.string()).default({}).describe("Groups carrying all these tags."),
  from_project: z
    .boolean()
    .optional()
    .describe(
      "Also the groups whose `project_tag` is this server's `project`: the groups `asg-release deploy` makes for the project. Default: true when neither `asg_names` nor `tags` is given.",
    ),
  project_tag: nonEmpty()
    .default(DEFAULT_PROJECT_TAG)
    .describe(
      "The tag key `from_project` looks for: the deploy environment's `ec2_asg.tag_prefix` followed by `project`.",
    ),
});

export const serverSchema = z.strictObject({
  project: matching(namePattern, 'a project name of letters, digits, "-" and "_"').describe(
    'Required. Project name (letters, digits, "-", "_"); releases and snapshots are tagged with it.',
  ),
  source: absolutePath().describe("Required. The code tree to watch and publish."),
  release: z
    .strictObject({
      mount_path: releaseDir()
        .default("/release")
        .describe(
          "Where the release volume is mounted on this host; not inside `source`, nor containing it, nor a system directory.",
        ),
      device: absolutePath()
        .optional()
        .describe("Attachment device name of the release volume; /dev/sdk when absent."),
      size: integer(1, 16384).default(8).describe("GiB, when the release volume is created."),
      label: matching(fsLabel, 'an ext4 label of 1 to 16 letters, digits, "_", "-" or "."')
        .default("code_release")
        .describe(
          "Filesystem label: init formats a blank volume ext4 with it, and adopts only a filesystem carrying it.",
        ),
      // A first snapshot of a large volume takes a while on EBS; later ones copy only changed blocks.
      snapshot_timeout: integer(1)
        .default(3600)
        .describe("Seconds a publish waits for its snapshot to complete."),
      max_shrink_percent: integer(0, 100)
        .default(50)
        .describe(
          "Largest share (percent) of the files or bytes of the current release a publish may remove; an empty tree is always refused. Only `asg-release publish --allow-shrink` overrides it, for that publish.",
        ),
      instance_path: releaseDir()
        .default("/release")
        .describe("Where the release is on the instances (the agent's mount.path); not a system directory."),
    })
    .prefault({})
    .describe("The release volume on this host."),
  watch: z
    .strictObject({
      ignore: z
        .array(nonEmpty())
        .default([".git/"])
        .describe("Entries never published (rsync-style: name, dir/, /anchored, *, **)."),
      debounce_ms: integer(0, 600000)
        .default(500)
        .describe("Quiet time after the last change before a publish starts, in milliseconds."),
    })
    .prefault({})
    .describe("How changes are detected."),
  targets: targetsSchema
    .prefault({})
    .describe(
      "Which Auto Scaling groups receive releases: `asg_names`, `tags` and/or the project's groups (`from_project`). When absent: the groups `asg-release deploy` made for `project`, listed again at every publish and reconcile.",
    ),
  ssh: z
    .strictObject({
      user: nonEmpty().default("root").describe("Remote user."),
      port: port().default(22).describe("Remote port."),
      key: absolutePath().describe("Required. The private key."),
      known_hosts: absolutePath().describe(
        "Required. Known hosts file used to check the instances' host keys.",
      ),
    })
    .describe("Required. How to reach instances for rsync."),
  fanout: z
    .strictObject({
      concurrency: integer(1, 1024).default(16).describe("Instances pushed to in parallel."),
      instance_timeout: integer(1).default(120).describe("Deadline for one instance, in seconds."),
      reconcile_deadline: integer(1)
        .default(600)
        .describe("Seconds reconciling may retry instances before they are reported as stragglers."),
      unreachable_attempts: integer(1, 1000)
        .default(3)
        .describe(
          "Failed connections in a row after which a running member is reported as a straggler at once.",
        ),
      unreachable_after: integer(1)
        .default(60)
        .describe(
          "Seconds of failed connections after which a running member is reported as a straggler at once.",
        ),
      reconcile_every: integer(1)
        .default(60)
        .describe("Seconds between the daemon's checks of every member (stragglers are pushed again)."),
    })
    .prefault({})
    .describe("Pushing a release to running instances."),
  retention: integer(1, 1000).default(5).describe("Newest completed release snapshots kept."),
  housekeeping_every: integer(1).default(900).describe("Seconds between retention and sweeping runs."),
  api: z
    .strictObject({
      max_connections: integer(1, 65536).default(512).describe("Open connections, all clients together."),
      max_connections_per_client: integer(1, 65536)
        .default(64)
        .describe("Open connections from one client address; more are closed at once."),
      max_long_polls: integer(0, 65536)
        .default(256)
        .describe("`/v1/release?wait=` requests parked at once; beyond it: 503 with Retry-After."),
      max_long_polls_per_client: integer(0, 65536)
        .default(8)
        .describe("Parked long-polls of one client address; beyond it: 503 with Retry-After."),
      headers_timeout: integer(1, 3600)
        .default(10)
        .describe("Seconds a client has to send a request's headers."),
      request_timeout: integer(1, 3600)
        .default(30)
        .describe("Seconds a client has to send a whole request (not counting the answer's wait)."),
      max_body_bytes: integer(0)
        .default(65536)
        .describe("Largest request body; larger ones get 413 and the connection is closed."),
      guard_status: z
        .boolean()
        .default(false)
        .describe(
          "`/v1/status`, the status page's body (`/v1/status/page`) and `/metrics` need the bearer token of `token_file` (off by default: Prometheus and `asg-release status` keep working as they are).",
        ),
    })
    .prefault({})
    .describe("Limits of the HTTP API, against clients that hold sockets or long-polls."),
  listen: z
    .strictObject({
      address: nonEmpty()
        .default("127.0.0.1")
        .describe("Address to listen on; anything but loopback requires `token_file`."),
      port: port().default(8700).describe("Port to listen on."),
      tls: z
        .strictObject({
          cert: absolutePath().describe("Required. PEM certificate (and chain) the API presents."),
          key: absolutePath().describe("Required. The certificate's PEM private key (mode 600)."),
        })
        .optional()
        .describe("Serve the API over HTTPS with this certificate; plain HTTP when absent."),
    })
    .prefault({})
    .describe("The HTTP(S) API (pointer, status, publish)."),
  token_file: absolutePath()
    .optional()
    .describe("File holding the bearer token for the write endpoints (mode 600)."),
  pointer_s3: s3Object().optional().describe("Also publish the release pointer to this S3 object."),
  signing_key: absolutePath()
    .optional()
    .describe(
      "Ed25519 private key (PEM, mode 600) that signs every release pointer; `asg-release-server init` creates it. Default: pointer-signing.key in the state directory.",
    ),
});

export type ServerConfig = z.output<typeof serverSchema>;

export function loadServerConfig(source: Source): { config?: ServerConfig; issues: ConfigIssue[] } {
  const parsed = parseWith(serverSchema, source.data);
  const raw = [...parsed.issues, ...serverRules(source.data)];
  const issues = sortIssues(locateIssues(raw, sourceLocator(source)), [source.file]);
  return hasErrors(issues) || !parsed.value ? { issues } : { config: parsed.value, issues };
}

const loopback = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;

function serverRules(data: Record<string, unknown>): RawIssue[] {
  const issues: RawIssue[] = [];
  const targets = isMapping(data.targets) ? data.targets : undefined;
  const count = (value: unknown) =>
    Array.isArray(value) ? value.length : isMapping(value) ? Object.keys(value).length : 0;
  // Named but selecting nothing is a mistake; absent (or only project_tag) means the project's groups.
  const named = targets && ("asg_names" in targets || "tags" in targets || targets.from_project === false);
  if (
    targets &&
    named &&
    count(targets.asg_names) === 0 &&
    count(targets.tags) === 0 &&
    targets.from_project !== true
  ) {
    issues.push(
      rawError(
        ["targets"],
        "value",
        "expected asg_names, tags or from_project: true to select at least one Auto Scaling group, got none",
      ),
    );
  }
  // The API publishes releases; anywhere but loopback it must demand a token.
  const listen = isMapping(data.listen) ? data.listen : {};
  const address = typeof listen.address === "string" ? listen.address : "127.0.0.1";
  if (!loopback.test(address) && data.token_file === undefined) {
    issues.push(
      rawError(
        ["token_file"],
        "parent",
        `missing, expected a path (required when listen.address is ${JSON.stringify(address)}, not loopback)`,
      ),
    );
  }
  issues.push(...apiRules(data));
  const release = isMapping(data.release) ? data.release : {};
  if (typeof release.mount_path === "string" && typeof data.source === "string") {
    const inside = (a: string, b: string) => a === b || a.startsWith(b.endsWith("/") ? b : `${b}/`);
    if (inside(release.mount_path, data.source) || inside(data.source, release.mount_path)) {
      issues.push(rawError(["release", "mount_path"], "value", "must not be inside source, nor contain it"));
    }
  }
  return issues;
}

function apiRules(data: Record<string, unknown>): RawIssue[] {
  const api = isMapping(data.api) ? data.api : {};
  const issues: RawIssue[] = [];
  const num = (key: string, dflt: number) => (typeof api[key] === "number" ? api[key] : dflt);
  // node:http refuses a headers timeout longer than the request timeout.
  if (num("headers_timeout", 10) > num("request_timeout", 30)) {
    issues.push(rawError(["api", "headers_timeout"], "value", "must not be longer than api.request_timeout"));
  }
  // Parked long-polls must leave connections for everything else (status, health, publish).
  if (num("max_long_polls", 256) >= num("max_connections", 512)) {
    issues.push(rawError(["api", "max_long_polls"], "value", "must be less than api.max_connections"));
  }
  if (api.guard_status === true && data.token_file === undefined) {
    issues.push(rawError(["api", "guard_status"], "value", "needs token_file, which holds the token"));
  }
  return issues;
}

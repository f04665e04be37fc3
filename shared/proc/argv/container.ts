// Argv builders and output parsers for a docker-compatible CLI (docker or podman): commands as data,
// run by the caller through shared/proc/run.ts.
import { AsgReleaseError } from "../../errors.js";

/** Which program speaks the docker CLI, and the global flags it needs (podman: --storage-driver, --runtime). */
export interface ContainerCli {
  program: string;
  globalArgs: readonly string[];
}

export interface ContainerSpec {
  name: string;
  image: string;
  env: Record<string, string>;
  /** `HOST:CONTAINER[/proto]` or `IP:HOST:CONTAINER`, as `-p` takes them. */
  ports: readonly string[];
  /** `SOURCE:TARGET[:OPTIONS]`, as `-v` takes them. */
  volumes: readonly string[];
  labels: Record<string, string>;
  restart: string;
  networkHost: boolean;
  stopTimeoutSeconds?: number;
  /** Extra flags placed before the image (operator's escape hatch). */
  extraArgs: readonly string[];
  /** Overrides the image's CMD. */
  command: readonly string[];
}

/** What `container inspect` says about one container, in the fields both CLIs share. */
export interface ContainerState {
  id: string;
  name: string;
  running: boolean;
  status: string;
  /** The reference the container was created from, as given to `run`. */
  imageRef: string;
  /** The image id (sha256:...) it runs. */
  imageId: string;
  labels: Record<string, string>;
}

const base = (cli: ContainerCli, ...args: string[]): string[] => [cli.program, ...cli.globalArgs, ...args];

export const pullArgv = (cli: ContainerCli, ref: string, extra: readonly string[] = []): string[] =>
  base(cli, "pull", ...extra, ref);

export const imageInspectArgv = (cli: ContainerCli, ref: string): string[] =>
  base(cli, "image", "inspect", ref);

export const containerInspectArgv = (cli: ContainerCli, name: string): string[] =>
  base(cli, "container", "inspect", name);

export const removeArgv = (cli: ContainerCli, name: string): string[] => base(cli, "rm", "-f", name);

export const startArgv = (cli: ContainerCli, name: string): string[] => base(cli, "start", name);

/**
 * `run` for the spec. The environment never goes on the command line, where `ps` and /proc/PID/cmdline
 * show it to every process on the host: it is read from `envFile` (written with renderEnvFile), which
 * a spec with an environment must name.
 */
export function runArgv(cli: ContainerCli, spec: ContainerSpec, envFile?: string): string[] {
  const args = ["run", "--detach", "--name", spec.name, "--restart", spec.restart];
  if (spec.networkHost) args.push("--network", "host");
  if (spec.stopTimeoutSeconds !== undefined) args.push("--stop-timeout", String(spec.stopTimeoutSeconds));
  for (const [k, v] of sorted(spec.labels)) args.push("--label", `${k}=${v}`);
  if (envFile !== undefined) args.push("--env-file", envFile);
  else if (Object.keys(spec.env).length) {
    throw new AsgReleaseError("a container environment is passed in an env file, never in argv", {
      code: "EnvOnCommandLine",
    });
  }
  for (const p of spec.ports) args.push("--publish", p);
  for (const v of spec.volumes) args.push("--volume", v);
  return base(cli, ...args, ...spec.extraArgs, spec.image, ...spec.command);
}

/** Why `name=value` cannot be written to an env file as it is (docker and podman read one per line), if so. */
export function envFileProblem(name: string, value: string): string | undefined {
  if (!/^[^\s=#][^\s=]*$/.test(name)) return "a name with no spaces or `=`, not starting with `#`";
  // Both CLIs split the file at line ends (dropping a final \r), and nothing escapes one.
  if (/[\r\n\0]/.test(value)) return "a value on one line (no newline, carriage return or NUL)";
  return undefined;
}

/** The `--env-file` text: `NAME=value` lines, sorted, taken literally by docker and podman. */
export function renderEnvFile(env: Record<string, string>): string {
  const lines = sorted(env).map(([k, v]) => {
    const problem = envFileProblem(k, v);
    if (problem) {
      throw new AsgReleaseError(`container env ${JSON.stringify(k)}: expected ${problem}`, {
        code: "BadEnv",
        exitCode: 2,
      });
    }
    return `${k}=${v}\n`;
  });
  return lines.join("");
}

const sorted = (rec: Record<string, string>): [string, string][] =>
  Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Parses `container inspect NAME`. Both CLIs print `[]` (and exit non-zero) for a missing
 * container, so an empty array means "absent" rather than an error.
 */
export function parseContainerInspect(stdout: string): ContainerState | undefined {
  const parsed = parseJsonArray(stdout, "container inspect");
  const c = parsed[0] as Record<string, unknown> | undefined;
  if (!c) return undefined;
  const state = (c.State ?? {}) as Record<string, unknown>;
  const config = (c.Config ?? {}) as Record<string, unknown>;
  // docker: Config.Image is the reference; podman also has ImageName. Image is the id in both.
  const imageRef = str(c.ImageName) || str(config.Image);
  return {
    id: str(c.Id),
    name: str(c.Name).replace(/^\//, ""),
    running: state.Running === true,
    status: str(state.Status),
    imageRef,
    imageId: normaliseId(str(c.Image)),
    labels: (config.Labels ?? {}) as Record<string, string>,
  };
}

/** Parses `image inspect REF`: the image id and the repo digests, or undefined when not present. */
export function parseImageInspect(stdout: string): { id: string; repoDigests: string[] } | undefined {
  const parsed = parseJsonArray(stdout, "image inspect");
  const img = parsed[0] as Record<string, unknown> | undefined;
  if (!img) return undefined;
  const digests = Array.isArray(img.RepoDigests) ? img.RepoDigests.map(String) : [];
  return { id: normaliseId(str(img.Id)), repoDigests: digests };
}

function parseJsonArray(stdout: string, what: string): unknown[] {
  const text = stdout.trim();
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AsgReleaseError(`${what}: output is not JSON: ${text.slice(0, 200)}`, {
      code: "UnexpectedOutput",
      context: { what },
    });
  }
  if (!Array.isArray(value)) {
    throw new AsgReleaseError(`${what}: expected a JSON array`, {
      code: "UnexpectedOutput",
      context: { what },
    });
  }
  return value;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

// podman prints image ids without the algorithm prefix, docker with it.
const normaliseId = (id: string): string => (id && !id.includes(":") ? `sha256:${id}` : id);

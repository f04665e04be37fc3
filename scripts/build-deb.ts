// `npm run build:deb [-- --arch x64|arm64]... [--fast]`: the Debian packages asg-release-agent and
// asg-release-server, for amd64 and arm64, into dist/deb/ (docs/agent.md#install-from-the-package,
// docs/release-server.md#install-from-the-package). The executables are built first, from the
// current sources, by scripts/build-<agent|server>.ts.
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { AsgReleaseError, ConfigError } from "#shared/errors.js";
import { run } from "#shared/proc/run.js";
import pkg from "../package.json" with { type: "json" };
import { main as buildAgent } from "./build-agent.js";
import { main as buildServer } from "./build-server.js";
import { renderControl } from "./deb/control.js";
import { renderChangelog, renderCopyright } from "./deb/doc-files.js";
import { maintainerScripts } from "./deb/maintainer-scripts.js";
import {
  ARCHES,
  debFileName,
  debVersion,
  PACKAGES,
  type NodeArch,
  type PackageSpec,
} from "./deb/packages.js";
import { readShlibDepends } from "./deb/shlibs.js";
import { buildDeb, payloadSums, writeTree, type Entry } from "./deb/tree.js";
import { packagedUnit } from "./deb/unit.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
export const DEB_DIR = join(dist, "deb");
const DEFAULT_MAINTAINER = "asg-release maintainers <maintainers@asg-release.invalid>";

const say = (msg: string) => process.stderr.write(`build-deb: ${msg}\n`);

// The builders of the executables a package carries, by PackageSpec.executable.builder.
const BUILDERS: Record<string, (argv: string[]) => Promise<void>> = {
  agent: buildAgent,
  server: buildServer,
};

/** `--arch x64|arm64` (repeatable; default both) and `--fast`, quicker compression for tests. */
function parseDebOptions(argv: string[]): { arches: NodeArch[]; fast: boolean } {
  let values: { arch?: string[]; fast?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { arch: { type: "string", multiple: true }, fast: { type: "boolean" } },
      strict: true,
    }));
  } catch (err) {
    throw new ConfigError([], (err as Error).message);
  }
  const arches = (values.arch ?? Object.keys(ARCHES)).map((a) => {
    if (a in ARCHES) return a as NodeArch;
    throw new ConfigError([], `--arch ${a}: expected one of ${Object.keys(ARCHES).join(", ")}`);
  });
  return { arches, fast: values.fast ?? false };
}

/** SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the time of the checked-out commit. */
async function sourceDateEpoch(): Promise<number> {
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env) return Number(env);
  const out = await run(["git", "-C", root, "log", "-1", "--format=%ct"]);
  return Number(out.stdout.trim());
}

async function executable(spec: PackageSpec, arch: NodeArch): Promise<string> {
  const file = join(dist, `${spec.executable.dist}-linux-${arch}`);
  // Always from the current sources: a package made of an executable left in dist/ by an older
  // build would ship old code beside new units and docs. The builds are reproducible and take seconds.
  const build = BUILDERS[spec.executable.builder];
  if (build) await build(["--arch", arch]);
  if (!existsSync(file)) {
    throw new AsgReleaseError(
      `scripts/build-${spec.executable.builder}.ts did not write ${relative(root, file)}`,
      {
        code: "BuildFailed",
      },
    );
  }
  return file;
}

async function payload(spec: PackageSpec, exe: string, version: string, maintainer: string, epoch: number) {
  const doc = `usr/share/doc/${spec.name}`;
  const unitText = await readFile(join(root, "systemd", spec.unit), "utf8");
  const entries: Entry[] = [
    { kind: "file", path: `usr/bin/${spec.executable.installAs}`, mode: 0o755, source: exe },
    ...spec.aliases.map((a): Entry => ({
      kind: "symlink",
      path: `usr/bin/${a}`,
      target: spec.executable.installAs,
    })),
    // /lib rather than /usr/lib: where bookworm's debhelper installs units (no files move to /usr there).
    {
      kind: "text",
      path: `lib/systemd/system/${spec.unit}`,
      mode: 0o644,
      text: packagedUnit(unitText, spec.unitManPage),
    },
    { kind: "dir", path: "etc/asg-release" },
    {
      kind: "text",
      path: `${doc}/copyright`,
      mode: 0o644,
      text: renderCopyright(spec, new Date(epoch * 1000).getUTCFullYear()),
    },
    {
      kind: "text",
      path: `${doc}/changelog.gz`,
      mode: 0o644,
      text: renderChangelog(spec, version, maintainer, epoch),
      gzip: true,
    },
    {
      kind: "file",
      path: `${doc}/examples/${spec.example}`,
      mode: 0o644,
      source: join(root, "packaging", "examples", spec.example),
    },
    ...(await Promise.all(
      spec.manPages.map(async (page): Promise<Entry> => ({
        kind: "text",
        path: `usr/share/man/man1/${page}.gz`,
        mode: 0o644,
        text: await readFile(join(root, "packaging", "man", page), "utf8"),
        gzip: true,
      })),
    )),
    {
      kind: "text",
      path: `usr/share/lintian/overrides/${spec.name}`,
      mode: 0o644,
      text: await readFile(join(root, "packaging", "lintian-overrides"), "utf8").then((t) =>
        t.replaceAll("@PACKAGE@", spec.name).replaceAll("@EXECUTABLE@", spec.executable.installAs),
      ),
    },
  ];
  return entries;
}

export async function buildPackage(
  spec: PackageSpec,
  arch: NodeArch,
  epoch: number,
  fast = false,
): Promise<string> {
  const version = debVersion(pkg.version);
  const maintainer = process.env.DEB_MAINTAINER || DEFAULT_MAINTAINER;
  const exe = await executable(spec, arch);
  const stage = join(DEB_DIR, ".stage", `${spec.name}_${ARCHES[arch]}`);
  await writeTree(stage, await payload(spec, exe, version, maintainer, epoch));
  const { md5sums, installedSize } = await payloadSums(stage);
  const scripts = maintainerScripts(spec);
  const control = renderControl({
    spec,
    arch,
    version,
    maintainer,
    installedSize,
    shlibDepends: await readShlibDepends(exe),
  });
  await writeTree(join(stage, "DEBIAN"), [
    { kind: "text", path: "control", mode: 0o644, text: control },
    { kind: "text", path: "md5sums", mode: 0o644, text: md5sums },
    { kind: "text", path: "postinst", mode: 0o755, text: scripts.postinst },
    { kind: "text", path: "prerm", mode: 0o755, text: scripts.prerm },
    { kind: "text", path: "postrm", mode: 0o755, text: scripts.postrm },
  ]);
  const output = join(DEB_DIR, debFileName(spec.name, version, arch));
  await buildDeb(stage, output, epoch, fast);
  // The stage holds a copy of the executable: no need to keep it next to the package.
  await rm(stage, { recursive: true, force: true });
  return output;
}

export async function main(argv: string[]): Promise<void> {
  const epoch = await sourceDateEpoch();
  const { arches, fast } = parseDebOptions(argv);
  for (const arch of arches) {
    for (const spec of PACKAGES) {
      const output = await buildPackage(spec, arch, epoch, fast);
      say(`wrote ${relative(root, output)}`);
    }
  }
  await rm(join(DEB_DIR, ".stage"), { recursive: true, force: true });
}

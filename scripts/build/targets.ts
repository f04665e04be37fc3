// The architectures the executables are built for, the `--arch` option that picks them, and how a
// build runs a node binary of another architecture (qemu-user-static, see docs/design.md#tooling).
import { parseArgs } from "node:util";
import { ConfigError } from "#shared/errors.js";

export const ARCHS = ["x64", "arm64"] as const;
export type Arch = (typeof ARCHS)[number];

export interface BuildOptions {
  archs: Arch[];
  bundleOnly: boolean;
}

const isArch = (a: string): a is Arch => (ARCHS as readonly string[]).includes(a);

/** The architecture of the node running the build: its executable is the one tests and docs call. */
export function hostArch(): Arch {
  if (!isArch(process.arch))
    throw usage(`this machine's architecture ${process.arch} is not one of ${ARCHS.join(", ")}`);
  return process.arch;
}

/** `--arch x64|arm64` builds one architecture (default: all of them); `--bundle-only` stops after esbuild. */
export function parseBuildOptions(argv: string[]): BuildOptions {
  let values: { arch?: string; "bundle-only"?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { arch: { type: "string" }, "bundle-only": { type: "boolean" } },
      strict: true,
    }));
  } catch (err) {
    throw usage((err as Error).message);
  }
  if (values.arch !== undefined && !isArch(values.arch))
    throw usage(`--arch ${values.arch}: expected one of ${ARCHS.join(", ")}`);
  return { archs: values.arch ? [values.arch] : [...ARCHS], bundleOnly: values["bundle-only"] ?? false };
}

function usage(message: string): ConfigError {
  return new ConfigError([], message);
}

/** qemu-user-static and the Debian cross runtime (libc, libstdc++) that run a foreign node binary. */
const EMULATORS: Record<Arch, { qemu: string; sysroot: string }> = {
  x64: { qemu: "qemu-x86_64-static", sysroot: "/usr/x86_64-linux-gnu" },
  arm64: { qemu: "qemu-aarch64-static", sysroot: "/usr/aarch64-linux-gnu" },
};

/**
 * The argv prefix that runs a binary of `arch` here: nothing on its own architecture, qemu with the
 * cross sysroot otherwise. Called explicitly, qemu needs no binfmt_misc registration.
 */
export function runnerFor(arch: Arch): string[] {
  if (arch === hostArch()) return [];
  const { qemu, sysroot } = EMULATORS[arch];
  return [qemu, "-L", sysroot];
}

// The Debian dependencies of an ELF executable's shared libraries, from `readelf` (which reads any
// architecture, where dpkg-shlibdeps would need the target's libraries installed): each NEEDED
// library maps to its package, at least the version that provides the newest symbol version used.
import { AsgReleaseError } from "#shared/errors.js";
import { run } from "#shared/proc/run.js";

/** libstdc++'s symbol versions (GLIBCXX_3.4.N, CXXABI_1.3.N) and the GCC release (libstdc++6's
 *  version) that first had each; older ones are in every supported release. */
const GLIBCXX_GCC: [number, string][] = [
  [19, "4.8.3"],
  [20, "4.9"],
  [21, "5"],
  [22, "6"],
  [23, "7"],
  [24, "7.2"],
  [25, "8"],
  [26, "9"],
  [27, "9.2"],
  [28, "9.3"],
  [29, "11"],
  [30, "12"],
  [31, "13"],
  [32, "13.2"],
  [33, "14"],
];
const CXXABI_GCC: [number, string][] = [
  [8, "4.9"],
  [9, "5"],
  [10, "6"],
  [11, "7"],
  [12, "9"],
  [13, "11"],
  [14, "12"],
  [15, "13"],
];

type Family = "libc" | "libstdc++" | "libgcc";

const LIBRARY_FAMILY: Record<string, Family> = {
  "libc.so.6": "libc",
  "libm.so.6": "libc",
  "libdl.so.2": "libc",
  "libpthread.so.0": "libc",
  "librt.so.1": "libc",
  "ld-linux-x86-64.so.2": "libc",
  "ld-linux-aarch64.so.1": "libc",
  "libstdc++.so.6": "libstdc++",
  "libgcc_s.so.1": "libgcc",
};

const compareVersions = (a: string, b: string): number => {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
};
const newest = (versions: string[]): string | undefined => [...versions].sort(compareVersions).at(-1);

/** From `readelf --dynamic --version-info` output: the dependencies, in a stable order. */
export function shlibDepends(readelfOutput: string, file: string): string[] {
  const needed = [...readelfOutput.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
  const families = new Set<Family>();
  for (const lib of needed) {
    const family = LIBRARY_FAMILY[lib];
    if (!family) {
      throw new AsgReleaseError(`${file} needs ${lib}, which has no known Debian package`, {
        code: "UnknownSharedLibrary",
        context: { file, library: lib },
      });
    }
    families.add(family);
  }
  const versions = (prefix: string) =>
    [...readelfOutput.matchAll(new RegExp(`\\b${prefix}_([0-9.]+)\\b`, "g"))].map((m) => m[1]!);
  const deps: string[] = [];
  if (families.has("libc")) {
    const v = newest(versions("GLIBC"));
    deps.push(v ? `libc6 (>= ${v})` : "libc6");
  }
  if (families.has("libgcc")) {
    const v = newest(versions("GCC"));
    deps.push(v ? `libgcc-s1 (>= ${v})` : "libgcc-s1");
  }
  if (families.has("libstdc++")) {
    const gcc = [
      gccFor(versions("GLIBCXX"), "3.4.", GLIBCXX_GCC, 19, file),
      gccFor(versions("CXXABI"), "1.3.", CXXABI_GCC, 8, file),
    ].filter((v) => v !== undefined);
    const v = newest(gcc);
    deps.push(v ? `libstdc++6 (>= ${v})` : "libstdc++6");
  }
  return deps;
}

/** The GCC release of the newest of `versions` (`<prefix>N`), or none when all predate the table. */
function gccFor(
  versions: string[],
  prefix: string,
  table: [number, string][],
  first: number,
  file: string,
): string | undefined {
  const n = Math.max(
    0,
    ...versions.filter((v) => v.startsWith(prefix)).map((v) => Number(v.slice(prefix.length))),
  );
  if (n < first) return undefined;
  const gcc = table.find(([m]) => m === n)?.[1];
  if (!gcc) {
    throw new AsgReleaseError(`${file} needs libstdc++ symbols ${prefix}${n}, newer than this table knows`, {
      code: "UnknownSharedLibrary",
      context: { file },
    });
  }
  return gcc;
}

export async function readShlibDepends(file: string): Promise<string[]> {
  const out = await run(["readelf", "--wide", "--dynamic", "--version-info", file]);
  return shlibDepends(out.stdout, file);
}

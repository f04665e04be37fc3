// The product version, from package.json (bundled into the agent executable by esbuild).
import pkg from "../package.json" with { type: "json" };

export const version: string = pkg.version;

/** `NAME VERSION (node vX.Y.Z, linux-ARCH)`: an executable carries its runtime, so --version names it. */
export function versionLine(name: string): string {
  return `${name} ${version} (node ${process.version}, ${process.platform}-${process.arch})`;
}

// The product version, from package.json (bundled into the agent executable by esbuild).
import pkg from "../package.json" with { type: "json" };

export const version: string = pkg.version;

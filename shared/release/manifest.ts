// The release manifest: the last file written into a release tree (on the release volume and on
// every instance), so a tree whose manifest names a release holds all of that release.
import { z } from "zod";
import { parseJsonAs } from "../json.js";

/** Where the manifest lives, relative to the release root (e.g. /release/.asg-release/manifest.json). */
export const MANIFEST_DIR = ".asg-release";
export const MANIFEST_PATH = `${MANIFEST_DIR}/manifest.json`;

export const manifestSchema = z.object({
  releaseId: z.string().min(1),
  treeHash: z.string().regex(/^[0-9a-f]{64}$/),
  project: z.string().min(1),
  /** ISO 8601, when the release was made. */
  time: z.string().min(1),
  /** Number of files in the tree, for a quick sanity check by a person. */
  files: z.number().int().nonnegative(),
});

export type Manifest = z.infer<typeof manifestSchema>;

export function renderManifest(m: Manifest): string {
  return `${JSON.stringify(manifestSchema.parse(m), null, 2)}\n`;
}

/** Parses a manifest's text; undefined when it is missing, truncated or not a manifest. */
export function parseManifest(text: string): Manifest | undefined {
  return parseJsonAs(manifestSchema, text);
}

// Puts a component's image id into its user_data (docs/spec/deploy.md#image-id-subst): image_id_subst (a
// Python regular expression, every match replaced), or image_id_path (a key path in YAML user_data), or
// neither (unchanged, with a warning when nothing else makes the components' launch configurations differ).
import { parseImageRef } from "../image-ref/parse.js";
import { setImageIdAtPath } from "./image-path.js";
import { compilePythonRegex } from "./python-regex.js";
import { substituteImageId } from "./substitute.js";

export interface RenderInput {
  userData: string;
  imageId: string;
  imageIdSubst?: string;
  imageIdPath?: string;
  /** True when a per-component launch_config makes this component's launch configuration its own. */
  componentHasOwnLaunchConfig: boolean;
}

export type RenderResult = { ok: true; text: string; warnings: string[] } | { ok: false; problem: string };

export function renderUserData(input: RenderInput): RenderResult {
  // Only an image reference may ever be written into user_data, never arbitrary text.
  const ref = parseImageRef(input.imageId);
  if (!ref.ok) return { ok: false, problem: `image ${JSON.stringify(input.imageId)}: ${ref.problem}` };
  if (input.imageIdSubst !== undefined && input.imageIdPath !== undefined) {
    return { ok: false, problem: "image_id_subst and image_id_path are mutually exclusive" };
  }
  if (input.imageIdSubst !== undefined) {
    const compiled = compilePythonRegex(input.imageIdSubst);
    if (!compiled.ok) return { ok: false, problem: `image_id_subst: ${compiled.problems.join("; ")}` };
    const result = substituteImageId(input.userData, compiled.regex, input.imageId);
    if (!result.ok) return { ok: false, problem: result.problem };
    const warnings =
      result.count === 0
        ? ["image_id_subst matches nothing in user_data; the image id is not passed to instances"]
        : [];
    return { ok: true, text: result.text, warnings };
  }
  if (input.imageIdPath !== undefined) {
    const result = setImageIdAtPath(input.userData, input.imageIdPath, input.imageId);
    return result.ok ? { ok: true, text: result.text, warnings: [] } : { ok: false, problem: result.problem };
  }
  const warnings = input.componentHasOwnLaunchConfig
    ? []
    : [
        "user_data is used unchanged: neither image_id_subst nor image_id_path is set, and no per-component launch_config makes this component's launch configuration differ from the others",
      ];
  return { ok: true, text: input.userData, warnings };
}

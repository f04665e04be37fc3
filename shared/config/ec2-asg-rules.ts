// Rules of the ec2-asg record that span several keys (docs/spec/deploy.md#settings). They read the raw record
// and check types themselves, so they still run, and report, when the schema has found other problems.
import { launchTemplateNameChars, nameProblem } from "../naming/names.js";
import { parseNamingTemplate } from "../naming/template.js";
import { setImageIdAtPath } from "../userdata/image-path.js";
import { rawError, rawWarning, type RawIssue } from "./issues.js";
import { isHttpUrl } from "./schema-kit.js";
import { isMapping, type Path } from "./path.js";
import { describeValue } from "./describe.js";

/** docs/spec/deploy.md#limited-permissions: a record with only `lb`, or nothing at all. */
export function isLimitedPermissions(record: Record<string, unknown>): boolean {
  return Object.keys(record).every((key) => key === "lb");
}

export function ec2AsgRules(record: Record<string, unknown>): RawIssue[] {
  const issues: RawIssue[] = [];
  if (!isLimitedPermissions(record)) {
    if (record.vpc === undefined && record.home_vpc !== true) {
      issues.push(
        rawError(
          ["vpc"],
          "parent",
          "missing, expected a VPC name or id (required unless home_vpc is true; a record with only lb selects limited-permissions mode)",
        ),
      );
    }
    if (record.launch_config === undefined) {
      issues.push(
        rawError(
          ["launch_config"],
          "parent",
          "missing, expected a mapping (required unless the record holds only lb, which selects limited-permissions mode)",
        ),
      );
    }
  }
  if (record.image_id_subst !== undefined && record.image_id_path !== undefined) {
    issues.push(
      rawError(
        ["image_id_path"],
        "key",
        "image_id_subst and image_id_path are mutually exclusive; set only one",
      ),
    );
  }
  issues.push(...imagePathRules(record), ...delegatedDestroyRules(record), ...tagRules(record));
  issues.push(...componentNameRules(record), ...namingCharsetRules(record));
  return issues;
}

/** Every place a launch_config can be written: the global one and each component's. */
export function launchConfigPaths(record: Record<string, unknown>): Path[] {
  const paths: Path[] = [["launch_config"]];
  if (isMapping(record.components)) {
    for (const name of Object.keys(record.components)) paths.push(["components", name, "launch_config"]);
  }
  return paths;
}

function at(record: Record<string, unknown>, path: Path): unknown {
  let node: unknown = record;
  for (const segment of path) node = isMapping(node) ? node[String(segment)] : undefined;
  return node;
}

// image_id_path needs YAML user data (docs/spec/deploy.md#diff-image-path-check): check every literal
// user_data now; an {s3: ...} one is checked when it is read.
function imagePathRules(record: Record<string, unknown>): RawIssue[] {
  const path = record.image_id_path;
  if (typeof path !== "string" || record.image_id_subst !== undefined) return [];
  const issues: RawIssue[] = [];
  for (const lc of launchConfigPaths(record)) {
    const userData = at(record, [...lc, "user_data"]);
    if (typeof userData !== "string") continue;
    const result = setImageIdAtPath(userData, path, "registry.example.com/image:tag");
    if (!result.ok && !result.problem.startsWith("expected keys")) {
      issues.push(rawError([...lc, "user_data"], "value", result.problem));
    }
  }
  return issues;
}

function delegatedDestroyRules(record: Record<string, unknown>): RawIssue[] {
  const dd = record.delegated_destroy;
  if (!isMapping(dd)) return [];
  const enabled = Array.isArray(dd.components) && dd.components.length > 0;
  if (!enabled) {
    return dd.uri !== undefined || dd.user_data !== undefined
      ? [
          rawWarning(
            ["delegated_destroy"],
            "key",
            "delegated destroy is off because components is empty; uri and user_data are ignored",
          ),
        ]
      : [];
  }
  if (dd.uri === undefined) {
    return [
      rawError(
        ["delegated_destroy", "uri"],
        "parent",
        "missing, expected an http(s) URL (required when delegated_destroy.components is not empty)",
      ),
    ];
  }
  if (typeof dd.uri === "string" && !isHttpUrl(dd.uri)) {
    return [
      rawError(
        ["delegated_destroy", "uri"],
        "value",
        `expected an http(s) URL, got ${describeValue(dd.uri)}`,
      ),
    ];
  }
  return [];
}

function tagRules(record: Record<string, unknown>): RawIssue[] {
  const prefixes = ["skopos:"];
  if (typeof record.tag_prefix === "string" && !prefixes.includes(record.tag_prefix))
    prefixes.push(record.tag_prefix);
  const places: Path[] = [["tags"]];
  if (isMapping(record.components)) {
    for (const name of Object.keys(record.components)) places.push(["components", name, "tags"]);
  }
  const issues: RawIssue[] = [];
  for (const place of places) {
    const tags = at(record, place);
    if (!isMapping(tags)) continue;
    for (const key of Object.keys(tags)) {
      const reserved = prefixes.find((prefix) => key.startsWith(prefix));
      if (reserved !== undefined) {
        issues.push(
          rawError(
            [...place, key],
            "key",
            `reserved tag key: keys starting with "${reserved}" are set by asg-release`,
          ),
        );
      } else if (key.toLowerCase().startsWith("aws:")) {
        issues.push(
          rawError([...place, key], "key", 'reserved tag key: keys starting with "aws:" are reserved by AWS'),
        );
      } else if (key.length > 128) {
        issues.push(
          rawError([...place, key], "key", `expected a tag key of at most 128 characters, got ${key.length}`),
        );
      }
    }
  }
  return issues;
}

function componentNameRules(record: Record<string, unknown>): RawIssue[] {
  if (!isMapping(record.components)) return [];
  return Object.keys(record.components).flatMap((name) => {
    const problem = nameProblem(name);
    return problem ? [rawError(["components", name], "key", `invalid component name: ${problem}`)] : [];
  });
}

// Launch template names allow fewer characters than group names; the template's own text must fit.
function namingCharsetRules(record: Record<string, unknown>): RawIssue[] {
  if (typeof record.naming_template !== "string") return [];
  const parsed = parseNamingTemplate(record.naming_template);
  if (!parsed.ok) return [];
  const usesTemplates = launchConfigPaths(record).some((lc) => {
    const kind = at(record, [...lc, "kind"]);
    return kind === undefined ? lc.length === 1 && isMapping(record.launch_config) : kind === "template";
  });
  if (!usesTemplates) return [];
  const text = parsed.template.tokens.flatMap((t) => (t.kind === "text" ? [t.text] : [])).join("");
  const bad = [...new Set([...text].filter((ch) => !launchTemplateNameChars.test(ch)))];
  return bad.length === 0
    ? []
    : [
        rawError(
          ["naming_template"],
          "value",
          `launch template names allow only letters, digits and ( ) . - / _, but the template has ${bad.map((c) => JSON.stringify(c)).join(", ")}`,
        ),
      ];
}

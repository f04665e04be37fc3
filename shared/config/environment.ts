// The target environment: one or more Skopos environment files (`core_plugin`, `vars`,
// `plugin_config`, other top-level keys accepted) or bare ec2-asg records, merged in order with later
// files winning. Produces the validated ec2-asg settings with their defaults, the vars for model
// substitution, and whether limited-permissions mode applies (docs/spec/deploy.md#limited-permissions).
import { z } from "zod";
import type { ConfigIssue } from "../errors.js";
import { closest } from "./did-you-mean.js";
import { ec2AsgKeys, ec2AsgSchema, type Ec2AsgConfig } from "./ec2-asg-schema.js";
import { ec2AsgRules, isLimitedPermissions } from "./ec2-asg-rules.js";
import { hasErrors, locateIssues, rawError, rawWarning, sortIssues, type RawIssue } from "./issues.js";
import type { Source } from "./load.js";
import { sourceLocator, type Locator } from "./locate.js";
import { mergeLayers, type Layer } from "./merge.js";
import { isMapping, type Path } from "./path.js";
import { mapping, oneOf } from "./schema-kit.js";
import { parseWith } from "./zod-issues.js";

export const pluginName = "ec2-asg";
export const recordPath: Path = ["plugin_config", pluginName];

/** Top-level keys that make a file a Skopos environment rather than a bare ec2-asg record. */
export const envelopeKeys = ["core_plugin", "vars", "plugin_config", "doctype"] as const;

export const varNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const envelopeSchema = z.looseObject({
  core_plugin: z.unknown().optional(),
  vars: mapping(oneOf([z.string(), z.number(), z.boolean()], "a string, number or boolean")).default({}),
  plugin_config: mapping(z.unknown()).optional(),
});

export interface Environment {
  /** Values for `${var}` in the model, as strings. */
  vars: Record<string, string>;
  /** The envelope's core_plugin setting, passed through as written. */
  corePlugin: unknown;
  ec2Asg: Ec2AsgConfig;
  /** docs/spec/deploy.md#limited-permissions: the record holds only `lb` (or nothing); groups are pre-created `{prj}.{name}_{side}`. */
  limitedPermissions: boolean;
  /** The merged record as written (before defaults), for checks that need to know what was set. */
  written: Record<string, unknown>;
  /** Finds any normalised path (`plugin_config.ec2-asg...`) in the file that set it. */
  locate: Locator;
}

export interface EnvironmentResult {
  environment?: Environment;
  issues: ConfigIssue[];
}

export function isEnvelope(data: Record<string, unknown>): boolean {
  return envelopeKeys.some((key) => Object.hasOwn(data, key));
}

export function loadEnvironment(sources: readonly Source[]): EnvironmentResult {
  const perFile: ConfigIssue[] = [];
  const layers: Layer[] = sources.map((source) => {
    if (isEnvelope(source.data)) {
      const locate = sourceLocator(source);
      perFile.push(...locateIssues(envelopeHints(source.data), locate));
      return { data: source.data, locate };
    }
    return {
      data: { plugin_config: { [pluginName]: source.data } },
      locate: sourceLocator(source, recordPath),
    };
  });
  const merged = mergeLayers(layers);
  const raw: RawIssue[] = [];

  const envelope = parseWith(envelopeSchema, merged.data);
  raw.push(...envelope.issues, ...varNameRules(merged.data.vars));

  const pluginConfig = merged.data.plugin_config;
  const written = isMapping(pluginConfig) ? pluginConfig[pluginName] : undefined;
  if (isMapping(pluginConfig) && written === undefined) {
    raw.push(
      rawWarning(
        recordPath,
        "parent",
        "not set: the ec2-asg plugin runs in limited-permissions mode over pre-created groups",
      ),
    );
  }
  const recordData = written ?? {};
  const record = parseWith(ec2AsgSchema, recordData, recordPath);
  raw.push(...record.issues);
  if (isMapping(recordData)) {
    raw.push(...ec2AsgRules(recordData).map((issue) => ({ ...issue, path: [...recordPath, ...issue.path] })));
  }

  const issues = sortIssues(
    [...perFile, ...locateIssues(raw, merged.locate)],
    sources.map((s) => s.file),
  );
  if (hasErrors(issues) || !envelope.value || !record.value || !isMapping(recordData)) return { issues };
  return {
    issues,
    environment: {
      vars: Object.fromEntries(Object.entries(envelope.value.vars).map(([k, v]) => [k, String(v)])),
      corePlugin: merged.data.core_plugin,
      ec2Asg: record.value,
      limitedPermissions: isLimitedPermissions(recordData),
      written: recordData,
      locate: merged.locate,
    },
  };
}

function varNameRules(vars: unknown): RawIssue[] {
  if (!isMapping(vars)) return [];
  return Object.keys(vars)
    .filter((name) => !varNamePattern.test(name))
    .map((name) =>
      rawError(
        ["vars", name],
        "key",
        'invalid variable name: expected letters, digits and "_", not starting with a digit',
      ),
    );
}

// Mistakes that would otherwise be silently ignored: record settings at the top level of an
// environment file, and a misspelt plugin name under plugin_config.
function envelopeHints(data: Record<string, unknown>): RawIssue[] {
  const hints: RawIssue[] = [];
  for (const key of Object.keys(data)) {
    if (ec2AsgKeys.includes(key) && !(envelopeKeys as readonly string[]).includes(key)) {
      hints.push(
        rawWarning(
          [key],
          "key",
          `ignored: ec2-asg settings belong under plugin_config.${pluginName} in an environment file`,
        ),
      );
    }
  }
  if (isMapping(data.plugin_config) && !Object.hasOwn(data.plugin_config, pluginName)) {
    for (const key of Object.keys(data.plugin_config)) {
      if (closest(key, [pluginName]) !== undefined) {
        hints.push(rawError(["plugin_config", key], "key", `unknown plugin; did you mean "${pluginName}"?`));
      }
    }
  }
  return hints;
}

// Runs one corpus case: writes its files to a fresh directory, validates them the way the CLI does,
// and returns the issue lines with the directory stripped, so cases can assert `FILE:LINE:COL: ...`.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSource } from "#shared/config/load.js";
import { loadServerConfig } from "#shared/config/server.js";
import { validateInputs } from "#shared/config/validate-inputs.js";
import { formatIssue, type ConfigIssue } from "#shared/errors.js";

export interface CorpusCase {
  name: string;
  /** File name -> content. */
  files: Record<string, string>;
  /** Environment files in merge order (deploy cases). */
  env?: string[];
  model?: string;
  project?: string;
  /** A release server config file (server cases). */
  server?: string;
  /** Every issue line, errors and warnings, in order; [] for a clean file. */
  lines: string[];
}

/**
 * Strips the common indentation of a template literal and its first newline. Backslashes stay as
 * written (raw), so `"a\nb"` reaches the YAML parser as an escape inside a double-quoted string.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.raw
    .reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ""), "")
    .replaceAll("\\${", "${");
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

export async function runCase(c: CorpusCase): Promise<{ lines: string[]; valid: boolean }> {
  const dir = await mkdtemp(join(tmpdir(), "asg-release-corpus-"));
  try {
    for (const [name, content] of Object.entries(c.files)) await writeFile(join(dir, name), content);
    const at = (name: string) => join(dir, name);
    let issues: ConfigIssue[];
    let valid: boolean;
    if (c.server !== undefined) {
      const loaded = await readSource(at(c.server));
      const result = loaded.source ? loadServerConfig(loaded.source) : { issues: loaded.issues };
      issues = result.issues;
      valid = "config" in result && result.config !== undefined;
    } else {
      const result = await validateInputs({
        envFiles: (c.env ?? []).map(at),
        modelFile: c.model === undefined ? undefined : at(c.model),
        project: c.project,
      });
      issues = result.issues;
      valid = result.environment !== undefined;
    }
    return { lines: issues.map((i) => formatIssue(i).replaceAll(`${dir}/`, "")), valid };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Reads a configuration file (YAML or JSON) into a Source: the parsed document with a position for
// every node, and its plain data. Syntax errors, empty files and non-mapping roots are issues with
// positions, like every other problem (docs/design.md#clear-failure).
import { readFile } from "node:fs/promises";
import { isAlias, isMap, LineCounter, parseDocument, visit, type Document } from "yaml";
import type { ConfigIssue } from "../errors.js";
import { describeType } from "./describe.js";

export interface Source {
  /** The file name as the operator gave it; issues print it as is. */
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain data; always a mapping. */
  data: Record<string, unknown>;
}

export interface LoadResult {
  source?: Source;
  issues: ConfigIssue[];
}

const issueAt = (
  file: string,
  line: number,
  column: number,
  message: string,
  severity: ConfigIssue["severity"] = "error",
): ConfigIssue => ({ file, line, column, path: "", message, severity });

export async function readSource(file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "is a directory"
            : String(code ?? err);
    return { issues: [issueAt(file, 1, 1, `cannot read the file: ${reason}`)] };
  }
  return parseSource(file, text);
}

export function parseSource(file: string, text: string): LoadResult {
  // JSON is YAML, but a JSON file deserves JSON's own diagnosis (a trailing comma is valid YAML).
  if (/\.json$/i.test(file)) {
    const jsonIssue = checkJson(file, text);
    if (jsonIssue) return { issues: [jsonIssue] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: false });
  const issues = yamlIssues(file, doc, lines);
  if (issues.some((i) => i.severity === "error")) return { issues };

  const root = doc.contents;
  if (root === null) {
    return {
      issues: [...issues, issueAt(file, 1, 1, "expected a mapping at the top level, got an empty file")],
    };
  }
  const rootPos = lines.linePos(root.range?.[0] ?? 0);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    return { issues: [...issues, issueAt(file, rootPos.line, rootPos.col, `invalid YAML: ${String(err)}`)] };
  }
  if (!isMap(root)) {
    const got = describeType(data);
    return {
      issues: [
        ...issues,
        issueAt(file, rootPos.line, rootPos.col, `expected a mapping at the top level, got ${got}`),
      ],
    };
  }
  return { source: { file, text, doc, lines, data: data as Record<string, unknown> }, issues };
}

// docs/spec/deploy.md#image-id-subst: the escape character must itself be escaped in YAML or JSON
// text, so a regular expression in double quotes often trips on it.
function hint(code: string): string {
  return code === "BAD_DQ_ESCAPE"
    ? "; inside double quotes write \\\\ for a backslash, or use single quotes"
    : "";
}

function yamlIssues(file: string, doc: Document.Parsed, lines: LineCounter): ConfigIssue[] {
  const seen = new Set<string>();
  const out: ConfigIssue[] = [];
  const add = (offset: number, message: string, severity: ConfigIssue["severity"]) => {
    const { line, col } = lines.linePos(offset);
    // One line per position: the parser often reports a cascade at the same spot.
    if (seen.has(`${line}:${col}`)) return;
    seen.add(`${line}:${col}`);
    out.push(issueAt(file, line, col, message, severity));
  };
  for (const err of doc.errors)
    add(err.pos[0], `invalid YAML: ${firstLine(err.message)}${hint(err.code)}`, "error");
  for (const warning of doc.warnings) add(warning.pos[0], `YAML: ${firstLine(warning.message)}`, "warning");
  if (doc.errors.length === 0) {
    visit(doc, {
      Alias(_, node) {
        if (isAlias(node) && node.resolve(doc) === undefined) {
          add(
            node.range?.[0] ?? 0,
            `invalid YAML: alias *${node.source} has no anchor &${node.source} before it`,
            "error",
          );
        }
      },
    });
  }
  return out;
}

function firstLine(message: string): string {
  const line = message.split("\n")[0] ?? message;
  const trimmed = line.replace(/ at line \d+, column \d+:?$/, "");
  return trimmed.charAt(0).toLowerCase() + trimmed.slice(1);
}

function checkJson(file: string, text: string): ConfigIssue | undefined {
  if (text.trim() === "") return undefined; // reported as an empty file, like YAML
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /\s*(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    const reason = (at ? message.slice(0, at.index) : message).replace(
      / (?:of )?JSON input$/,
      " of the file",
    );
    const { line, column } = offsetToLineColumn(text, offset);
    const backslash = /^bad escaped character/i.test(reason) ? "; write \\\\ for a backslash" : "";
    return issueAt(
      file,
      line,
      column,
      `invalid JSON: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}${backslash}`,
    );
  }
}

function offsetToLineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return { line, column };
}

// `${var}`, `${var-default}` and `${var:-default}` in the application model, filled from the
// environment files' `vars`. Substitution happens in scalar values (never keys), so every value keeps
// its position; an unquoted value that becomes a number or boolean is read as one, as if it had been
// written so.
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Scalar } from "yaml";
import type { ConfigIssue } from "../errors.js";
import type { Source } from "./load.js";
import { keyText } from "./locate.js";
import { formatPath, type Path } from "./path.js";

export interface VarProblem {
  /** Index of the `${` in the text. */
  offset: number;
  message: string;
}

const reference = /\$\{([^}:-]*)(?:(:?-)([^}]*))?\}/y;
const namePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function substituteVars(
  text: string,
  vars: Readonly<Record<string, string>>,
): { text: string; problems: VarProblem[] } {
  const problems: VarProblem[] = [];
  let out = "";
  let i = 0;
  for (let start = text.indexOf("${"); start !== -1; start = text.indexOf("${", i)) {
    out += text.slice(i, start);
    reference.lastIndex = start;
    const m = reference.exec(text);
    if (!m) {
      problems.push({
        offset: start,
        message: 'unterminated variable reference: "${" without a closing "}"',
      });
      return { text: out + text.slice(start), problems };
    }
    const [whole, name = "", operator, fallback = ""] = m;
    i = start + whole.length;
    if (!namePattern.test(name)) {
      problems.push({
        offset: start,
        message: `invalid variable reference ${JSON.stringify(whole)}: names are letters, digits and "_", not starting with a digit`,
      });
      continue;
    }
    const value = vars[name];
    if (operator === undefined && value === undefined) {
      problems.push({
        offset: start,
        message: `undefined variable "${name}": define it under vars in an environment file, or write \${${name}-default}`,
      });
      continue;
    }
    const useFallback = value === undefined || (operator === ":-" && value === "");
    out += useFallback ? fallback : value;
  }
  return { text: out + text.slice(i), problems };
}

/**
 * A copy of the source's data with every scalar value substituted, the problems with their positions,
 * and the paths of the values that could not be substituted (further checks of those would only echo
 * the same mistake).
 */
export function substituteInSource(
  source: Source,
  vars: Readonly<Record<string, string>>,
): { data: Record<string, unknown>; issues: ConfigIssue[]; failed: Path[] } {
  const doc = source.doc.clone();
  const issues: ConfigIssue[] = [];
  const failed: Path[] = [];
  const walk = (node: Node | null | undefined, path: Path) => {
    if (!node || isAlias(node)) return; // an alias shares its anchor's (already substituted) value
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isPair(pair) ? keyText(pair) : undefined;
        if (key !== undefined) walk(pair.value as Node | null, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item as Node, [...path, i]));
    } else if (isScalar(node) && typeof node.value === "string" && node.value.includes("${")) {
      const result = substituteVars(node.value, vars);
      for (const problem of result.problems) issues.push(positioned(source, node, problem, path));
      if (result.problems.length > 0) failed.push(path);
      node.value = node.type === "PLAIN" ? reread(result.text) : result.text;
    }
  };
  walk(doc.contents as Node | null, []);
  return { data: doc.toJS() as Record<string, unknown>, issues, failed };
}

function reread(text: string): unknown {
  const doc = parseDocument(text);
  const value = isScalar(doc.contents) && doc.errors.length === 0 ? doc.contents.value : undefined;
  return typeof value === "number" || typeof value === "boolean" ? value : text;
}

// Point at the `${` itself when the value is written on one line as it reads; otherwise at the value.
function positioned(source: Source, node: Scalar, problem: VarProblem, path: Path): ConfigIssue {
  const [start = 0, end = start] = node.range ?? [];
  const written = source.text.slice(start, end);
  const nth = countOccurrences(String(node.value).slice(0, problem.offset), "${");
  let offset = start;
  let found = -1;
  for (let k = 0; k <= nth; k++) {
    found = written.indexOf("${", found + 1);
    if (found === -1) break;
  }
  if (found !== -1 && !written.slice(0, found).includes("\n")) offset = start + found;
  const { line, col } = source.lines.linePos(offset);
  return {
    file: source.file,
    line,
    column: col,
    path: formatPath(path),
    message: problem.message,
    severity: "error",
  };
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) count++;
  return count;
}

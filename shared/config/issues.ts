// Issues before and after they are given a position: checks produce RawIssues (a key path and which
// part of the document they are about); a Locator turns them into ConfigIssues with file:line:column.
import type { ConfigIssue } from "../errors.js";
import type { Locator, Target } from "./locate.js";
import { formatPath, type Path } from "./path.js";

export interface RawIssue {
  path: Path;
  at: Target;
  message: string;
  severity?: ConfigIssue["severity"];
}

export const rawError = (path: Path, at: Target, message: string): RawIssue => ({ path, at, message });
export const rawWarning = (path: Path, at: Target, message: string): RawIssue => ({
  path,
  at,
  message,
  severity: "warning",
});

export function locateIssues(raw: readonly RawIssue[], locate: Locator): ConfigIssue[] {
  return raw.map((issue) => {
    const where = locate(issue.path, issue.at);
    return {
      file: where.file,
      line: where.line,
      column: where.column,
      path: formatPath(where.path),
      message: issue.message,
      severity: issue.severity ?? "error",
    };
  });
}

export function hasErrors(issues: readonly ConfigIssue[]): boolean {
  return issues.some((i) => i.severity === "error");
}

/**
 * Files in the order given, then by line and column, so output reads top to bottom; at one position,
 * errors before warnings, then by key path, then in the order the checks found them.
 */
export function sortIssues(issues: readonly ConfigIssue[], fileOrder: readonly string[] = []): ConfigIssue[] {
  const rank = (file: string) => {
    const i = fileOrder.indexOf(file);
    return i === -1 ? fileOrder.length : i;
  };
  return [...issues].sort(
    (a, b) =>
      rank(a.file) - rank(b.file) ||
      compare(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      Number(a.severity === "warning") - Number(b.severity === "warning") ||
      compare(a.path, b.path),
  );
}

// Code-unit order, the same on every machine (localeCompare depends on the ICU data and locale).
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

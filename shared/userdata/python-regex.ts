// Translates an `image_id_subst` pattern from Python `re` syntax (docs/spec/deploy.md#image-id-subst) to a
// JavaScript RegExp with the same multi-line semantics: "^" matches at the start of every line, "$" at the
// end of every line, "." never matches a newline. Constructs JavaScript cannot express are refused with a
// reason rather than silently changed. Known difference (docs/spec/deploy.md#diff-python-regex): \w, \d and
// \s match ASCII only (Python 3 also matches other Unicode letters/digits).
import { translateEscape, type TranslationState } from "./python-escapes.js";

export type PythonRegexResult = { ok: true; regex: RegExp } | { ok: false; problems: string[] };

const anyChar = "[\\s\\S]";
const lineStart = "(?<![^\\n])"; // after a newline, or at the start of the text
const lineEnd = "(?![^\\n])"; // before a newline, or at the end of the text

/** Compiles a Python pattern into a global JavaScript RegExp, or explains why it cannot. */
export function compilePythonRegex(pattern: string): PythonRegexResult {
  const s: TranslationState = {
    pattern,
    i: 0,
    out: "",
    problems: [],
    dotAll: false,
    verbose: false,
    groups: 0,
    names: new Set(),
    maxBackref: 0,
    afterQuantifier: false,
  };
  const flags = readLeadingFlags(s);
  while (s.i < pattern.length) step(s);
  if (s.maxBackref > s.groups) {
    s.problems.push(`reference to group ${s.maxBackref}, but the pattern has ${s.groups} group(s)`);
  }
  return s.problems.length > 0 ? { ok: false, problems: s.problems } : build(s.out, flags);
}

// Python accepts global flags only at the start of the pattern: (?i), (?s), (?x), (?m), (?a), (?u).
function readLeadingFlags(s: TranslationState): string {
  let flags = "g";
  const leading = /^\(\?([a-zA-Z]+)\)/;
  for (let m = leading.exec(s.pattern); m; m = leading.exec(s.pattern.slice(s.i))) {
    for (const flag of m[1]!) {
      if (flag === "i") flags = flags.includes("i") ? flags : flags + "i";
      else if (flag === "s") s.dotAll = true;
      else if (flag === "x") s.verbose = true;
      else if (flag === "L") s.problems.push("(?L) (locale-dependent matching) has no JavaScript equivalent");
      else if (!"amu".includes(flag)) s.problems.push(`unknown flag ${JSON.stringify(flag)} in (?${m[1]})`);
    }
    s.i += m[0].length;
  }
  return flags;
}

function build(source: string, flags: string): PythonRegexResult {
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (err) {
    const reason =
      err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, "") : "";
    return { ok: false, problems: [`not a valid regular expression: ${reason.toLowerCase()}`] };
  }
  if (new RegExp(source, flags.replace("g", "")).test("")) {
    return {
      ok: false,
      problems: ["matches the empty string, so the image id would be inserted everywhere"],
    };
  }
  return { ok: true, regex };
}

function step(s: TranslationState): void {
  const ch = s.pattern[s.i]!;
  const wasQuantifier = s.afterQuantifier;
  s.afterQuantifier = false;
  if (s.verbose && /\s/.test(ch)) {
    s.i++;
    s.afterQuantifier = wasQuantifier;
    return;
  }
  if (s.verbose && ch === "#") {
    const end = s.pattern.indexOf("\n", s.i);
    s.i = end === -1 ? s.pattern.length : end + 1;
    s.afterQuantifier = wasQuantifier;
    return;
  }
  switch (ch) {
    case "\\":
      return translateEscape(s, false);
    case "[":
      return charClass(s);
    case "(":
      return group(s);
    case ".":
      s.out += s.dotAll ? anyChar : "[^\\n]";
      break;
    case "^":
      s.out += lineStart;
      break;
    case "$":
      s.out += lineEnd;
      break;
    case "*":
    case "?":
    case "+":
      if (wasQuantifier && ch === "+") {
        s.problems.push(`possessive quantifier at character ${s.i + 1} has no JavaScript equivalent`);
      }
      s.out += ch;
      s.afterQuantifier = ch !== "?" || !wasQuantifier;
      break;
    case "{": {
      const m = /^\{(\d*),?(\d*)\}/.exec(s.pattern.slice(s.i));
      if (m && (m[1] !== "" || m[2] !== "")) {
        // Python reads "{,n}" as "{0,n}"; JavaScript would read it as literal text.
        s.out += m[1] === "" ? `{0,${m[2]}}` : m[0];
        s.i += m[0].length;
        s.afterQuantifier = true;
        return;
      }
      s.out += "\\{";
      break;
    }
    case "}":
      s.out += "\\}";
      break;
    default:
      s.out += ch;
  }
  s.i++;
}

function group(s: TranslationState): void {
  const rest = s.pattern.slice(s.i);
  const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
  if (named) {
    s.groups++;
    s.names.add(named[1]!);
    s.out += `(?<${named[1]}>`;
    s.i += named[0].length;
    return;
  }
  const backref = /^\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest);
  if (backref) {
    if (!s.names.has(backref[1]!))
      s.problems.push(`(?P=${backref[1]}) refers to no earlier group of that name`);
    s.out += `\\k<${backref[1]}>`;
    s.i += backref[0].length;
    return;
  }
  if (rest.startsWith("(?#")) {
    const end = s.pattern.indexOf(")", s.i);
    s.i = end === -1 ? s.pattern.length : end + 1;
    return;
  }
  const plain = /^\((\?(?::|=|!|<=|<!))?/.exec(rest)!;
  if (plain[1] !== undefined || !rest.startsWith("(?")) {
    if (plain[1] === undefined) s.groups++;
    s.out += plain[0];
    s.i += plain[0].length;
    return;
  }
  const where = `at character ${s.i + 1}`;
  if (rest.startsWith("(?>")) s.problems.push(`atomic group (?>...) ${where} has no JavaScript equivalent`);
  else if (rest.startsWith("(?("))
    s.problems.push(`conditional group (?(...)...) ${where} has no JavaScript equivalent`);
  else if (/^\(\?[a-zA-Z]+\)/.test(rest))
    s.problems.push(`inline flags ${where} must be at the start of the pattern`);
  else if (/^\(\?[a-zA-Z]*-?[a-zA-Z]*:/.test(rest)) {
    s.problems.push(
      `scoped inline flags ${where} have no JavaScript equivalent; put global flags like (?i) at the start`,
    );
  } else s.problems.push(`unknown group syntax ${JSON.stringify(rest.slice(0, 4))} ${where}`);
  s.out += "(";
  s.i += 2;
}

function charClass(s: TranslationState): void {
  s.out += "[";
  s.i++;
  if (s.pattern[s.i] === "^") {
    s.out += "^";
    s.i++;
  }
  // A "]" right after "[" or "[^" is a literal in Python; in JavaScript "[]" is an empty class.
  if (s.pattern[s.i] === "]") {
    s.out += "\\]";
    s.i++;
  }
  while (s.i < s.pattern.length && s.pattern[s.i] !== "]") {
    const ch = s.pattern[s.i]!;
    if (ch === "\\") translateEscape(s, true);
    else {
      s.out += ch === "[" ? "\\[" : ch;
      s.i++;
    }
  }
  if (s.i >= s.pattern.length) {
    s.problems.push("unterminated character set: missing ]");
    return;
  }
  s.out += "]";
  s.i++;
}

// Backslash escapes of Python `re` patterns, translated for the JavaScript RegExp of
// python-regex.ts: \A and \Z become anchors on the whole text, octal escapes and \a become \x
// escapes, group references are checked, and escapes Python itself refuses (\q) are refused.

/** The translation in progress: input position, output so far, and what has been learned. */
export interface TranslationState {
  pattern: string;
  i: number;
  out: string;
  problems: string[];
  dotAll: boolean;
  verbose: boolean;
  groups: number;
  names: Set<string>;
  maxBackref: number;
  afterQuantifier: boolean;
}

const textStart = "(?<![\\s\\S])";
const textEnd = "(?![\\s\\S])";

/** Translates the escape at `s.i` (a backslash), inside a character set or not. */
export function translateEscape(s: TranslationState, inClass: boolean): void {
  const next = s.pattern[s.i + 1];
  const where = `at character ${s.i + 1}`;
  if (next === undefined) {
    s.problems.push("pattern ends with a lone backslash");
    s.i++;
    return;
  }
  const rest = s.pattern.slice(s.i + 1);
  let consumed = 2;
  if (!inClass && next === "A") s.out += textStart;
  else if (!inClass && (next === "Z" || next === "z")) s.out += textEnd;
  else if ("dDwWsSnrtfv".includes(next) || (!inClass && "bB".includes(next))) s.out += `\\${next}`;
  else if (inClass && next === "b") s.out += "\\x08";
  else if (next === "a") s.out += "\\x07";
  else if (next === "x" || next === "u") {
    const m = (next === "x" ? /^x[0-9a-fA-F]{2}/ : /^u[0-9a-fA-F]{4}/).exec(rest);
    if (m) {
      s.out += `\\${m[0]}`;
      consumed = 1 + m[0].length;
    } else s.problems.push(`incomplete escape \\${next} ${where}`);
  } else if (next === "U") {
    const m = /^U([0-9a-fA-F]{8})/.exec(rest);
    const code = m ? parseInt(m[1]!, 16) : NaN;
    if (m && code <= 0xffff) {
      s.out += `\\u${m[1]!.slice(4)}`;
      consumed = 10;
    } else s.problems.push(`escape \\U ${where} must name a character up to \\U0000FFFF`);
  } else if (/[0-9]/.test(next)) {
    consumed = digits(s, rest, inClass, where);
  } else if (/[A-Za-z]/.test(next)) {
    s.problems.push(`bad escape \\${next} ${where}`);
  } else s.out += `\\${next}`;
  s.i += consumed;
}

// Python: "\0" and three octal digits are characters; other digits are group references (not in sets).
function digits(s: TranslationState, rest: string, inClass: boolean, where: string): number {
  const octal = /^(?:0[0-7]{0,2}|[0-3][0-7]{2})/.exec(rest);
  if (octal) {
    s.out += `\\x${parseInt(octal[0], 8).toString(16).padStart(2, "0")}`;
    return 1 + octal[0].length;
  }
  const group = /^[1-9][0-9]?/.exec(rest)!;
  if (inClass) {
    s.problems.push(`bad escape \\${group[0]} in a character set ${where}`);
    return 1 + group[0].length;
  }
  s.maxBackref = Math.max(s.maxBackref, Number(group[0]));
  s.out += `(?:\\${group[0]})`;
  return 1 + group[0].length;
}

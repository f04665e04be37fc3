// Turns an ExecStart= line into argv as systemd does: words split on whitespace, "double" and
// 'single' quotes, C escapes, `$$` for a `$`, `${VAR}` (one word) and `$VAR` (split on whitespace) from the unit's
// environment, and the common specifiers (%n, %N, %p, %i, %t, %S, %C, %L, %E, %h, %u, %H, %%).
import { hostname } from "node:os";

export function specifiers(text: string, unit: string): string {
  const prefix = unit.replace(/\.[^.]+$/, "");
  const at = prefix.indexOf("@");
  const map: Record<string, string> = {
    n: unit,
    N: prefix,
    p: at >= 0 ? prefix.slice(0, at) : prefix,
    i: at >= 0 ? prefix.slice(at + 1) : "",
    t: "/run",
    S: "/var/lib",
    C: "/var/cache",
    L: "/var/log",
    E: "/etc",
    h: "/root",
    u: "root",
    H: hostname(),
    "%": "%",
  };
  return text.replace(/%(.)/g, (m, c: string) => map[c] ?? m);
}

const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  '"': '"',
  "'": "'",
  " ": " ",
  $: "$",
};

export function splitExecLine(
  line: string,
  unit: string,
  env: Record<string, string>,
  expand = true,
): string[] {
  const words: string[] = [];
  let i = 0;
  const text = specifiers(line, unit);
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let word = "";
    let quote: string | undefined;
    // `$VAR` alone as a word expands to several words.
    const bare = !expand ? null : /^\$([A-Za-z_][A-Za-z0-9_]*)(?=\s|$)/.exec(text.slice(i));
    if (bare) {
      words.push(...(env[bare[1]!] ?? "").split(/\s+/).filter((w) => w !== ""));
      i += bare[0].length;
      continue;
    }
    while (i < text.length && (quote || !/\s/.test(text[i]!))) {
      const c = text[i]!;
      if (quote && c === quote) {
        quote = undefined;
        i++;
      } else if (!quote && (c === '"' || c === "'")) {
        quote = c;
        i++;
      } else if (c === "\\" && i + 1 < text.length) {
        word += ESCAPES[text[i + 1]!] ?? text[i + 1]!;
        i += 2;
      } else if (expand && c === "$" && text[i + 1] === "$") {
        word += "$";
        i += 2;
      } else if (expand && c === "$" && text[i + 1] === "{" && quote !== "'") {
        const end = text.indexOf("}", i);
        word += env[text.slice(i + 2, end)] ?? "";
        i = end + 1;
      } else {
        word += c;
        i++;
      }
    }
    words.push(word);
  }
  return words;
}

/** Environment= values: `A=1 "B=two words"` assigns A and B. */
export function parseEnvironmentLine(line: string, unit: string): [string, string][] {
  return splitExecLine(line, unit, {}, false)
    .map((w) => {
      const eq = w.indexOf("=");
      return eq > 0 ? ([w.slice(0, eq), w.slice(eq + 1)] as [string, string]) : undefined;
    })
    .filter((e): e is [string, string] => e !== undefined);
}

/** An EnvironmentFile=: `KEY=value` lines, `#` comments, optional quotes, `export` tolerated. */
export function parseEnvironmentFile(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/^export\s+/, "");
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    let v = line.slice(eq + 1).trim();
    if (/^(".*"|'.*')$/.test(v)) v = v.slice(1, -1);
    out.push([line.slice(0, eq).trim(), v]);
  }
  return out;
}

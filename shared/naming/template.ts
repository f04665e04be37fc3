// Naming templates (docs/spec/deploy.md#naming-template): placeholders {prj}, {comp} and {slot} ({name} and
// {side} are accepted spellings, docs/spec/deploy.md#diff-naming), each at most once, no other {...} and no
// unmatched brace, at least one character between placeholders, {prj} required, "_{slot}" appended when
// {slot} is absent. Default "{prj}.{comp}_{slot}".

export const defaultNamingTemplate = "{prj}.{comp}_{slot}";

export type Placeholder = "prj" | "comp" | "slot";

export type TemplateToken =
  { kind: "text"; text: string } | { kind: "placeholder"; name: Placeholder; written: string };

export interface NamingTemplate {
  /** As configured. */
  source: string;
  /** With "_{slot}" appended when the configured template has no slot. */
  tokens: TemplateToken[];
  /** Without {comp}, the only component that can be named is "main". */
  hasComp: boolean;
}

const spellings: Record<string, Placeholder> = {
  prj: "prj",
  comp: "comp",
  name: "comp",
  slot: "slot",
  side: "slot",
};

export type TemplateResult = { ok: true; template: NamingTemplate } | { ok: false; problems: string[] };

export function parseNamingTemplate(source: string): TemplateResult {
  const problems: string[] = [];
  const tokens = tokenize(source, problems);
  const placeholders = tokens.filter((t) => t.kind === "placeholder");
  for (const name of ["prj", "comp", "slot"] as const) {
    const written = placeholders.filter((t) => t.name === name).map((t) => t.written);
    if (written.length > 1) {
      const spellings = new Set(written).size > 1 ? ` (as ${written.join(", ")})` : "";
      problems.push(
        `{${name}} appears ${written.length} times${spellings}; each placeholder may appear only once`,
      );
    }
  }
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (token.kind === "placeholder" && next?.kind === "placeholder") {
      problems.push(`${token.written} and ${next.written} need at least one character between them`);
    }
  });
  if (!placeholders.some((t) => t.name === "prj")) problems.push("must contain {prj}");
  if (problems.length > 0) return { ok: false, problems };

  if (!placeholders.some((t) => t.name === "slot")) {
    tokens.push({ kind: "text", text: "_" }, { kind: "placeholder", name: "slot", written: "{slot}" });
  }
  return {
    ok: true,
    template: { source, tokens: mergeText(tokens), hasComp: placeholders.some((t) => t.name === "comp") },
  };
}

function tokenize(source: string, problems: string[]): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let text = "";
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "}") {
      problems.push(`unmatched "}" at character ${i + 1}`);
      continue;
    }
    if (ch !== "{") {
      text += ch;
      continue;
    }
    const close = source.indexOf("}", i + 1);
    const reopen = source.indexOf("{", i + 1);
    if (close === -1 || (reopen !== -1 && reopen < close)) {
      problems.push(`unmatched "{" at character ${i + 1}`);
      continue;
    }
    const inner = source.slice(i + 1, close);
    const name = spellings[inner];
    if (name === undefined) {
      problems.push(
        `unknown placeholder {${inner}}; the placeholders are {prj}, {comp} (or {name}) and {slot} (or {side})`,
      );
    } else {
      if (text) tokens.push({ kind: "text", text });
      text = "";
      tokens.push({ kind: "placeholder", name, written: `{${inner}}` });
    }
    i = close;
  }
  if (text) tokens.push({ kind: "text", text });
  return tokens;
}

function mergeText(tokens: TemplateToken[]): TemplateToken[] {
  const out: TemplateToken[] = [];
  for (const token of tokens) {
    const last = out[out.length - 1];
    if (token.kind === "text" && last?.kind === "text") last.text += token.text;
    else out.push({ ...token });
  }
  return out;
}

/** The template with "_{slot}" appended where the rules say so, in canonical spelling. */
export function effectiveTemplate(template: NamingTemplate): string {
  return template.tokens.map((t) => (t.kind === "text" ? t.text : `{${t.name}}`)).join("");
}

// Reads the runnable shell blocks of a guide written for operators (docs/quickstart-aws.md). Every
// ```sh block is preceded by one marker comment saying where it runs, so a test can run the guide as
// written, block by block, in one shell per place:
//
//   <!-- run: operator -->                        the block runs in the shell of that place
//   <!-- run: operator; expect: hello -->         ... and its output must contain "hello"
//   <!-- session: release-host -->                the block is the command that opens that place's
//                                                 shell (run from the operator's shell, with `bash`
//                                                 as the remote command)
//
// Pure: text in, blocks and problems out. A ```sh block without a marker, a marker without a block,
// or a marker of another shape is a problem, so nothing in the guide is silently left unrun.

export interface DocBlock {
  /** "run": commands for the place's shell; "session": the command that opens that shell. */
  kind: "run" | "session";
  place: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** Text the block's output must contain. */
  expect?: string;
}

export interface DocBlocks {
  blocks: DocBlock[];
  problems: string[];
}

const MARKER = /^<!--\s*(run|session):\s*([a-z][a-z0-9-]*)\s*(?:;\s*expect:\s*(.*?)\s*)?-->\s*$/;
const ANY_MARKER = /^<!--\s*(run|session)\b/;
const FENCE = /^(`{3,}|~{3,})\s*([A-Za-z0-9_-]*)/;
const SHELLS = new Set(["sh", "bash", "shell", "console"]);

export function extractBlocks(markdown: string): DocBlocks {
  const lines = markdown.split("\n");
  const blocks: DocBlock[] = [];
  const problems: string[] = [];
  let pending: { kind: "run" | "session"; place: string; expect?: string; line: number } | undefined;

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? "";
    const fence = FENCE.exec(text);
    if (fence) {
      const [, marks = "", lang = ""] = fence;
      const end = lines.findIndex((l, j) => j > i && l.startsWith(marks[0]!.repeat(marks.length)));
      if (end === -1) {
        problems.push(`line ${i + 1}: code block never closed`);
        break;
      }
      const code = lines.slice(i + 1, end).join("\n");
      if (SHELLS.has(lang)) {
        if (!pending) problems.push(`line ${i + 1}: \`\`\`${lang} block without a run or session marker`);
        else
          blocks.push({
            kind: pending.kind,
            place: pending.place,
            code,
            line: i + 1,
            ...opt(pending.expect),
          });
      } else if (pending) {
        problems.push(
          `line ${pending.line}: marker followed by a \`\`\`${lang || "(plain)"} block, not \`\`\`sh`,
        );
      }
      pending = undefined;
      i = end;
      continue;
    }
    if (text.trim() === "") continue;
    const marker = MARKER.exec(text.trim());
    if (pending) problems.push(`line ${pending.line}: marker not followed by a code block`);
    pending = undefined;
    if (marker) {
      const [, kind, place = "", expect] = marker;
      if (expect === "") problems.push(`line ${i + 1}: empty expect`);
      pending = { kind: kind as "run" | "session", place, line: i + 1, ...opt(expect) };
    } else if (ANY_MARKER.test(text.trim())) {
      problems.push(`line ${i + 1}: malformed marker: ${text.trim()}`);
    }
  }
  if (pending) problems.push(`line ${pending.line}: marker not followed by a code block`);

  const opened = new Set<string>();
  for (const b of blocks) {
    if (b.kind === "session") {
      if (opened.has(b.place)) problems.push(`line ${b.line}: a second session block for ${b.place}`);
      opened.add(b.place);
    }
  }
  return { blocks, problems };
}

/** The shell variables a command reads (`$NAME`, `${NAME}`, `${NAME:-x}`), in order, once each. */
export function variablesOf(code: string): string[] {
  const names = [...code.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? "");
  return [...new Set(names)];
}

const opt = (expect: string | undefined): { expect?: string } => (expect ? { expect } : {});

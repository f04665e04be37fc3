// The repository explains itself: every `docs/<file>.md#<anchor>` a source file or doc cites, and every
// relative link between markdown files, leads to a file and an anchor that exist (GitHub heading
// slugs or explicit `<a id>`), and nothing cites documents that are not in the repository.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const skipped = new Set(["node_modules", ".git", "dist", "coverage", ".sim-state"]);

/** Repository files (relative paths) whose name ends with one of `exts`. */
function files(exts: string[], dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipped.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(exts, path));
    else if (entry.isFile() && exts.some((e) => entry.name.endsWith(e))) out.push(relative(root, path));
  }
  return out;
}

/** GitHub's heading slug: lowercase, markup and punctuation dropped, spaces become hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

const anchorCache = new Map<string, Set<string>>();

/** The anchors of a markdown file: heading slugs (numbered when repeated) and explicit ids. */
function anchorsOf(file: string): Set<string> {
  const cached = anchorCache.get(file);
  if (cached) return cached;
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence = false;
  for (const line of readFileSync(join(root, file), "utf8").split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]!);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
  }
  anchorCache.set(file, anchors);
  return anchors;
}

interface Ref {
  from: string;
  target: string;
  anchor?: string;
}

/** `docs/<file>.md#<anchor>` anywhere, and relative `(x.md#anchor)` / `(#anchor)` links in markdown. */
function references(): Ref[] {
  const refs: Ref[] = [];
  for (const from of files([".ts", ".js", ".md"])) {
    const text = readFileSync(join(root, from), "utf8");
    for (const m of text.matchAll(/(?<![\w/.-])(docs\/[\w./-]+\.md)(?:#([\w-]+))?/g))
      refs.push({ from, target: m[1]!, anchor: m[2] });
    if (!from.endsWith(".md")) continue;
    for (const m of text.matchAll(/\]\(([^)\s]*?\.md)?(?:#([\w-]+))?\)/g)) {
      if (m[1] === undefined && m[2] === undefined) continue;
      if (m[1] !== undefined && /^[a-z]+:/.test(m[1])) continue;
      const target = m[1] === undefined ? from : relative(root, resolve(root, dirname(from), m[1]));
      refs.push({ from, target, anchor: m[2] });
    }
  }
  return refs;
}

describe("docs references", () => {
  const refs = references();

  it("finds the references it checks", () => {
    expect(refs.filter((r) => r.target.startsWith("docs/spec/")).length).toBeGreaterThan(50);
  });

  it("point at files that exist", () => {
    const missing = refs
      .filter((r) => !existsSync(join(root, r.target)))
      .map((r) => `${r.from}: ${r.target}`);
    expect(missing).toEqual([]);
  });

  it("point at anchors that exist", () => {
    const missing = refs
      .filter((r) => r.anchor !== undefined && existsSync(join(root, r.target)))
      .filter((r) => !anchorsOf(r.target).has(r.anchor!))
      .map((r) => `${r.from}: ${r.target}#${r.anchor}`);
    expect(missing).toEqual([]);
  });
});

describe("self-contained", () => {
  // Built from parts so that this file does not name them itself.
  const outside = [
    ...["STYLE", "DESIGN", "LOCAL-HOSTS"].map((n) => `${n}.md`),
    ["shared", "seeds"].join("/"),
  ];
  const numbered = new RegExp(["seed", "[ _-]?00[03]\\b"].join(""), "i");

  it("no file cites documents outside the repository", () => {
    const hits: string[] = [];
    for (const file of files([".ts", ".js", ".md", ".yaml", ".yml", ".json", ".service"])) {
      if (file === "package-lock.json") continue;
      const lines = readFileSync(join(root, file), "utf8").split("\n");
      lines.forEach((line, i) => {
        if (outside.some((name) => line.includes(name)) || numbered.test(line))
          hits.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it("slugs headings as GitHub does", () => {
    expect(slug("Launch settings")).toBe("launch-settings");
    expect(slug("user_data rendering")).toBe("user_data-rendering");
    expect(slug("The boot agent (`asg-release-agent`)")).toBe("the-boot-agent-asg-release-agent");
    expect(slug("Where asg-release differs, and why")).toBe("where-asg-release-differs-and-why");
    expect(slug("Configuration: `/etc/asg-release/agent.yaml`")).toBe(
      "configuration-etcasg-releaseagentyaml",
    );
  });
});

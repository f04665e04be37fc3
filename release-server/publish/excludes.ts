// Exclude patterns with one meaning everywhere they apply: the rsync into the release volume, the
// tree hash and the watcher's ignore list. They are the simple subset of rsync's rules, so rsync
// gets them verbatim as --exclude:
//   "name"      matches an entry with that name at any depth
//   "dir/"      trailing slash: directories only
//   "/a/b"      leading slash (or any inner slash): anchored at the tree root
//   "*" "?"     wildcards within one path segment; "**" spans segments

/** Entries the release tree never carries from the source: the manifest's directory and ext4's lost+found. */
export const SYSTEM_EXCLUDES = ["/.asg-release/", "/lost+found/"] as const;

export type ExcludeMatcher = (relPath: string, isDir: boolean) => boolean;

interface Rule {
  regex: RegExp;
  dirOnly: boolean;
  anchored: boolean;
}

export function compileExcludes(patterns: readonly string[]): ExcludeMatcher {
  const rules = patterns.map(compileRule);
  return (relPath, isDir) => {
    const path = relPath.replace(/^\/+|\/+$/g, "");
    if (!path) return false;
    const name = path.slice(path.lastIndexOf("/") + 1);
    return rules.some((r) => (!r.dirOnly || isDir) && r.regex.test(r.anchored ? path : name));
  };
}

function compileRule(pattern: string): Rule {
  const dirOnly = pattern.endsWith("/");
  let body = dirOnly ? pattern.slice(0, -1) : pattern;
  const anchored = body.includes("/");
  body = body.replace(/^\/+/, "");
  // A relative pattern with an inner slash ("a/b") matches at any depth in rsync; at the root here
  // it is anchored, and deeper matches are covered by "**/" below.
  const source = anchored && !pattern.startsWith("/") ? `(?:.*/)?${globToRegex(body)}` : globToRegex(body);
  return { regex: new RegExp(`^${source}$`), dirOnly, anchored };
}

function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return out;
}

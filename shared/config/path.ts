// Key paths into a configuration document, and how they are printed in issues:
// `launch_config.sg[0]`, `lb.app.port`, `tags["app.example.com/team"]`.

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

const plainKey = /^[A-Za-z0-9_:@/-]+$/;

export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (plainKey.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The value at `path` in plain data, or undefined when any step is missing. */
export function valueAt(data: unknown, path: Path): unknown {
  let node = data;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === "number") node = node[segment];
    else if (isMapping(node) && typeof segment === "string") node = node[segment];
    else return undefined;
  }
  return node;
}

/** True when the last step of `path` exists: a key of its mapping or an index of its list. */
export function hasKey(data: unknown, path: Path): boolean {
  const parent = valueAt(data, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent)) return typeof last === "number" && last >= 0 && last < parent.length;
  return isMapping(parent) && typeof last === "string" && Object.hasOwn(parent, last);
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

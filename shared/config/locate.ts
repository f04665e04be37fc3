// Maps a key path to a line and column in its file: the key itself for an unknown key, the value for
// a wrong value, the enclosing mapping for a missing key. Follows aliases and `<<` merge keys into
// the text where the value is actually written.
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from "yaml";
import type { Source } from "./load.js";
import type { Path } from "./path.js";

/** Which part of the document an issue is about. */
export type Target = "key" | "value" | "parent";

export interface Location {
  file: string;
  line: number;
  column: number;
  /** The path as written in that file (a bare ec2-asg record has no `plugin_config.ec2-asg.` prefix). */
  path: Path;
}

/** Finds where a path of the (possibly merged, possibly normalised) configuration is written. */
export type Locator = (path: Path, at: Target) => Location;

/**
 * A locator for one file. `root` is the path at which this document sits in the normalised
 * configuration: a bare ec2-asg record sits at `plugin_config.ec2-asg`.
 */
export function sourceLocator(source: Source, root: Path = []): Locator {
  return (path, at) => {
    const inside = root.every((segment, i) => path[i] === segment) && path.length >= root.length;
    const docPath = inside ? path.slice(root.length) : [];
    const target = inside ? at : "value";
    const { line, column } = locateInSource(source, docPath, target);
    return { file: source.file, line, column, path: docPath };
  };
}

export function locateInSource(source: Source, path: Path, at: Target): { line: number; column: number } {
  if (at === "parent") return locateInSource(source, path.slice(0, -1), "value");
  const offset = offsetOf(source, path, at);
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

function offsetOf(source: Source, path: Path, at: Target): number {
  let node: Node | null = resolve(source, source.doc.contents);
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = findPair(source, node, String(segment));
      if (!pair) return offset;
      const keyOffset = (pair.key as Node | null)?.range?.[0] ?? offset;
      if (last && at === "key") return keyOffset;
      const value = resolve(source, pair.value as Node | null);
      // `key:` with nothing after it has an empty value node; point at the key.
      const empty =
        !value || (isScalar(value) && value.value === null && value.range?.[0] === value.range?.[1]);
      if (empty) return keyOffset;
      node = value;
      offset = value.range?.[0] ?? keyOffset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = resolve(source, node.items[segment] as Node | null | undefined);
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function resolve(source: Source, node: Node | null | undefined): Node | null {
  let current = node ?? null;
  for (let hops = 0; isAlias(current) && hops < 100; hops++) {
    current = (current.resolve(source.doc) as Node | undefined) ?? null;
  }
  return current;
}

function findPair(source: Source, map: YAMLMap, key: string): Pair | undefined {
  // Later pairs win, as in the loaded data; merge keys (`<<`) are searched after the map's own keys.
  const own = map.items.filter((p) => keyText(p) === key).at(-1);
  if (own) return own;
  for (const pair of map.items.filter((p) => keyText(p) === "<<")) {
    const merged = resolve(source, pair.value as Node | null);
    const sources = isSeq(merged) ? merged.items.map((n) => resolve(source, n as Node)) : [merged];
    for (const m of sources) {
      if (isMap(m)) {
        const found = findPair(source, m, key);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** A mapping key as text; a YAML merge key (`<<`, a symbol once parsed) reads as "<<". */
export function keyText(pair: Pair): string | undefined {
  const key = pair.key as unknown;
  if (isScalar(key)) return typeof key.value === "symbol" ? "<<" : String(key.value);
  return typeof key === "string" ? key : undefined;
}

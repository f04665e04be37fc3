// Merges several environment files in order, later ones winning: mappings merge key by key, anything
// else (lists, scalars, null) replaces. Every merged value remembers which file it came from, so an
// issue found in the merged configuration still points at the right file and line.
import type { Locator } from "./locate.js";
import { isMapping } from "./path.js";

export interface Layer {
  data: Record<string, unknown>;
  locate: Locator;
}

export interface Merged {
  data: Record<string, unknown>;
  locate: Locator;
}

// The layer that last wrote a value; `children` is set for mappings that several layers contributed to.
interface Origin {
  layer: number;
  children?: Map<string, Origin>;
}

export function mergeLayers(layers: readonly Layer[]): Merged {
  let data: Record<string, unknown> = {};
  let origin: Origin = { layer: 0, children: new Map() };
  layers.forEach((layer, index) => {
    [data, origin] = mergeMapping(data, origin, layer.data, index);
  });
  const locate: Locator = (path, at) => {
    const walk = at === "parent" ? path.slice(0, -1) : path;
    let node = origin;
    for (const segment of walk) {
      const child = typeof segment === "string" ? node.children?.get(segment) : undefined;
      if (!child) break;
      node = child;
    }
    return layers[node.layer]!.locate(path, at);
  };
  return { data, locate };
}

function mergeMapping(
  base: Record<string, unknown>,
  baseOrigin: Origin,
  over: Record<string, unknown>,
  layer: number,
): [Record<string, unknown>, Origin] {
  const data = { ...base };
  const children = new Map(baseOrigin.children ?? []);
  for (const [key, value] of Object.entries(over)) {
    const existing = data[key];
    const existingOrigin = children.get(key);
    if (isMapping(existing) && isMapping(value) && existingOrigin) {
      const [merged, mergedOrigin] = mergeMapping(
        existing,
        withChildren(existing, existingOrigin),
        value,
        layer,
      );
      data[key] = merged;
      children.set(key, mergedOrigin);
    } else {
      data[key] = value;
      children.set(key, isMapping(value) ? withChildren(value, { layer }) : { layer });
    }
  }
  return [data, { layer, children }];
}

// A mapping that so far came whole from one layer gets per-key origins before another layer merges in.
function withChildren(value: Record<string, unknown>, origin: Origin): Origin {
  if (origin.children) return origin;
  const children = new Map<string, Origin>();
  for (const [key, child] of Object.entries(value)) {
    children.set(
      key,
      isMapping(child) ? withChildren(child, { layer: origin.layer }) : { layer: origin.layer },
    );
  }
  return { layer: origin.layer, children };
}

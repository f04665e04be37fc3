// image_id_path: sets doc[k1][k2]...[kN] = image id in YAML user_data (docs/spec/deploy.md#image-id-path).
// Comments and the "#cloud-config" first line are kept. Missing mappings on the way are created; a numeric
// key indexes into an existing list (e.g. "write_files.0.content").
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";

export type SetPathResult = { ok: true; text: string } | { ok: false; problem: string };

/** Why `path` is not a usable image_id_path, or undefined when it is. */
export function imagePathProblem(path: string): string | undefined {
  return path.split(".").some((key) => key === "")
    ? `expected keys separated by single dots like "a.b.c", got ${JSON.stringify(path)}`
    : undefined;
}

export function setImageIdAtPath(userData: string, path: string, imageId: string): SetPathResult {
  const pathProblem = imagePathProblem(path);
  if (pathProblem) return { ok: false, problem: pathProblem };
  const doc = parseDocument(userData);
  if (doc.errors.length > 0) {
    const reason = doc.errors[0]!.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    return { ok: false, problem: `expected a YAML mapping for image_id_path, got invalid YAML (${reason})` };
  }
  if (!isMap(doc.contents)) {
    return { ok: false, problem: `expected a YAML mapping for image_id_path, got ${kindOf(doc.contents)}` };
  }
  const keys = path.split(".");
  let node: Node = doc.contents;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const last = i === keys.length - 1;
    const where = `image_id_path ${JSON.stringify(path)}: ${keys.slice(0, i).join(".")}`;
    if (isSeq(node)) {
      const index = /^\d+$/.test(key) ? Number(key) : -1;
      if (index < 0 || index >= node.items.length) {
        return {
          ok: false,
          problem: `${where} is a list of ${node.items.length} items; ${JSON.stringify(key)} is not an index in it`,
        };
      }
      if (last) node.set(index, imageId);
      else node = node.get(index, true) as Node;
    } else if (isMap(node)) {
      if (last) node.set(key, imageId);
      else {
        const child = node.get(key, true) as Node | undefined;
        node = child ?? createMap(doc, node, key);
      }
    } else {
      return { ok: false, problem: `${where} is ${kindOf(node)}, not a mapping` };
    }
  }
  return { ok: true, text: doc.toString({ lineWidth: 0 }) };
}

function createMap(doc: Document, parent: Node, key: string): Node {
  const map = doc.createNode({});
  if (isMap(parent)) parent.set(key, map);
  return map;
}

function kindOf(node: unknown): string {
  if (node === null || node === undefined) return "an empty document";
  if (isSeq(node)) return "a list";
  if (isScalar(node))
    return node.value === null
      ? "null"
      : `a ${typeof node.value === "string" ? "string" : typeof node.value}`;
  return "a mapping";
}

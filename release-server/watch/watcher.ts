// The watched source tree through chokidar: every add, change or removal outside the excludes is
// reported as one "changed" signal; what changed is rsync's business, not the watcher's.
import { lstatSync, type Stats } from "node:fs";
import { relative, sep } from "node:path";
import { watch, type FSWatcher } from "chokidar";
import type { ExcludeMatcher } from "../publish/excludes.js";

export interface TreeWatcher {
  /** Resolves once the initial scan is done: changes after this are reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function watchTree(
  root: string,
  excluded: ExcludeMatcher,
  onChange: (path: string) => void,
  onError: (err: unknown) => void,
): TreeWatcher {
  const ignored = (path: string, stats?: Stats): boolean => {
    const rel = relative(root, path).split(sep).join("/");
    if (!rel || rel.startsWith("..")) return false;
    // chokidar asks once without stats; a directory-only pattern needs to know what it is.
    const st = stats ?? lstatOrUndefined(path);
    return excluded(rel, st?.isDirectory() ?? false);
  };
  const watcher: FSWatcher = watch(root, {
    ignored,
    ignoreInitial: true,
    persistent: true,
    followSymlinks: false,
  });
  for (const event of ["add", "change", "unlink", "addDir", "unlinkDir"] as const) {
    watcher.on(event, (path: string) => onChange(path));
  }
  watcher.on("error", onError);
  const ready = new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return { ready, close: () => watcher.close() };
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

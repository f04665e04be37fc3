// Argv builders for rsync (rsync(1)), Kamal-style: options in, argv out, nothing run here.
import { AsgReleaseError } from "../../errors.js";

export interface RsyncOptions {
  /** A directory source ends with "/" to copy its contents. */
  source: string;
  /** Local path or `host:path`. */
  dest: string;
  /** Delete what the source does not have; "delay" deletes after the transfer (with --delay-updates). */
  delete?: boolean | "delay";
  /** Also delete excluded files on the receiver. */
  deleteExcluded?: boolean;
  /** rsync filter rules, in order, each passed as --filter=RULE (e.g. "P /lost+found/"). */
  filters?: readonly string[];
  excludes?: readonly string[];
  /** Put all updated files into place at the end of the transfer, together. */
  delayUpdates?: boolean;
  /** The remote shell as argv (ssh ...), quoted into rsync's -e. */
  rsh?: readonly string[];
  /** The program (or shell snippet ending in rsync) started on the remote side. */
  rsyncPath?: string;
  /** I/O timeout: rsync exits when no data moves for this long. */
  ioTimeoutSeconds?: number;
  compress?: boolean;
  /** One --itemize-changes line per changed entry, for logs. */
  itemize?: boolean;
}

export function rsyncArgv(o: RsyncOptions): string[] {
  // --modify-window=-1: compare mtimes to the nanosecond (rsync 3.1.3 or later on both sides). By
  // default rsync compares whole seconds, so an edit that keeps a file's size within the second of
  // the last sync would be skipped by the quick check and never published.
  const argv = ["rsync", "-a", "--modify-window=-1"];
  if (o.compress) argv.push("-z");
  if (o.delete === "delay") argv.push("--delete-delay");
  else if (o.delete) argv.push("--delete");
  if (o.deleteExcluded) argv.push("--delete-excluded");
  if (o.delayUpdates) argv.push("--delay-updates");
  if (o.itemize) argv.push("--itemize-changes");
  if (o.ioTimeoutSeconds) argv.push(`--timeout=${o.ioTimeoutSeconds}`);
  for (const f of o.filters ?? []) argv.push(`--filter=${f}`);
  for (const e of o.excludes ?? []) argv.push(`--exclude=${e}`);
  if (o.rsh) argv.push("-e", rshString(o.rsh));
  if (o.rsyncPath) argv.push(`--rsync-path=${o.rsyncPath}`);
  argv.push(o.source, o.dest);
  return argv;
}

/**
 * rsync splits -e on spaces itself and honours single and double quotes (not backslashes), so each
 * word with a space or quote is wrapped in the quote it does not contain.
 */
export function rshString(argv: readonly string[]): string {
  return argv
    .map((w) => {
      if (w !== "" && !/[\s'"]/.test(w)) return w;
      if (!w.includes("'")) return `'${w}'`;
      if (!w.includes('"')) return `"${w}"`;
      throw new AsgReleaseError(
        `rsync cannot pass an argument with both quote kinds to its remote shell: ${w}`,
        { code: "UnquotableArgument", exitCode: 2, context: { argument: w } },
      );
    })
    .join(" ");
}

/** rsync's exit codes that mean "the other side went away", as opposed to a local problem. */
export const RSYNC_CONNECTION_CODES: readonly number[] = [10, 12, 30, 35, 255];

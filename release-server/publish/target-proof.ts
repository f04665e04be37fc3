// The target proof: before a publish writes to an instance (and `rsync --delete` runs there as
// root), the instance shows in the same ssh session that the release path holds this project's
// release volume: a filesystem with the release volume's UUID and label (volumes made from its
// snapshots keep both), carrying the release marker of this project. Anything else (another
// filesystem mounted there by mistake or by a misconfigured path, a volume of another project) is
// never written; the session exits EXIT_NOT_RELEASE_VOLUME with the reason after NOT_RELEASE_VOLUME_MARK.
import { MANIFEST_DIR, MANIFEST_PATH } from "#shared/release/manifest.js";
import { mountinfoEscape, normalisePath } from "#shared/proc/argv/mount.js";
import { shellQuote } from "#shared/proc/argv/ssh.js";

/** Exit code of a session whose target failed the proof, clear of rsync's and ssh's own. */
export const EXIT_NOT_RELEASE_VOLUME = 92;
export const NOT_RELEASE_VOLUME_MARK = "asg-release: not the release volume: ";

/** The release marker, relative to the release root; the server writes it on the release volume. */
export const MARKER_PATH = `${MANIFEST_DIR}/release-volume`;

/** What the target must show: the project, and the filesystem of the release volume. */
export interface TargetProof {
  project: string;
  uuid: string;
  label: string;
}

/** The marker's lines: a comment for whoever finds it, and the `project=` line the proof matches whole. */
function markerLines(project: string): string[] {
  return [
    `# The release volume of asg-release project ${project}: a publish writes only to a filesystem that carries this file.`,
    `project=${project}`,
  ];
}

export function markerText(project: string): string {
  return `${markerLines(project).join("\n")}\n`;
}

/**
 * A shell snippet (ending in "; ") that exits EXIT_NOT_RELEASE_VOLUME unless `dest` holds the
 * release volume. The filesystem is the one mounted last at `dest` (the one writes land in); its
 * UUID and label come from the device itself (blkid -p, no cache). The marker is the release
 * marker, or on volumes made before there was one, a manifest of this project.
 */
export function proofScript(dest: string, p: TargetProof): string {
  const at = normalisePath(dest);
  // The reason goes in double quotes, so the shell fills in what it found ($ASG_...): every value of
  // ours in it is escaped for them.
  const fail = (reason: string) =>
    `{ echo "${NOT_RELEASE_VOLUME_MARK}${reason}" >&2; exit ${EXIT_NOT_RELEASE_VOLUME}; }`;
  const marker = shellQuote(`${at}/${MARKER_PATH}`);
  const manifest = shellQuote(`${at}/${MANIFEST_PATH}`);
  const where = `the filesystem at ${dq(at)} ($ASG_DEV)`;
  return [
    `ASG_DEV=$(P=${shellQuote(mountinfoEscape(at))} awk 'BEGIN { p = ENVIRON["P"] } ` +
      `$5 == p { for (i = 7; i < NF; i++) if ($i == "-") { s = $(i + 2); break } } END { print s }' /proc/self/mountinfo)`,
    `ASG_FS=$(blkid -p -o export "$ASG_DEV" 2>/dev/null)`,
    `ASG_UUID=$(printf '%s\\n' "$ASG_FS" | sed -n 's/^UUID=//p')`,
    `ASG_LABEL=$(printf '%s\\n' "$ASG_FS" | sed -n 's/^LABEL=//p')`,
    `[ "$ASG_UUID" = ${shellQuote(p.uuid)} ] || ${fail(`${where} has UUID \${ASG_UUID:-none}, not the release volume's ${dq(p.uuid)}`)}`,
    `[ "$ASG_LABEL" = ${shellQuote(p.label)} ] || ${fail(`${where} is labelled \${ASG_LABEL:-nothing}, not ${dq(p.label)} like the release volume`)}`,
    `{ grep -qxF ${shellQuote(`project=${p.project}`)} ${marker} 2>/dev/null || ` +
      `grep -qF ${shellQuote(`"project": ${JSON.stringify(p.project)}`)} ${manifest} 2>/dev/null; } || ` +
      fail(`${dq(at)} holds no release marker of project ${dq(p.project)}`),
    "",
  ].join("; ");
}

/** Text for inside double quotes, taken literally. */
const dq = (text: string): string => text.replace(/[\\"$`]/g, "\\$&");

/** Writes the marker on an instance (after the proof), so volumes made before markers get one. */
export function writeMarkerScript(dest: string, project: string): string {
  const at = normalisePath(dest);
  const marker = shellQuote(`${at}/${MARKER_PATH}`);
  const tmp = shellQuote(`${at}/${MARKER_PATH}.tmp`);
  // printf, one argument a line: the command stays on one line inside rsync's --rsync-path.
  const lines = markerLines(project).map(shellQuote).join(" ");
  return `mkdir -p ${shellQuote(`${at}/${MANIFEST_DIR}`)} && printf '%s\\n' ${lines} > ${tmp} && mv -f ${tmp} ${marker}`;
}

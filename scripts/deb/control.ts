// The DEBIAN/control file of a package (deb-control(5)): pure, from the package's data, its
// architecture, version, installed size and the shared-library dependencies found at build time.
import { ARCHES, type NodeArch, type PackageSpec } from "./packages.js";

export interface ControlInput {
  spec: PackageSpec;
  arch: NodeArch;
  version: string;
  maintainer: string;
  /** KiB, as dpkg-gencontrol counts it (scripts/deb/tree.ts). */
  installedSize: number;
  /** Dependencies of the embedded node binary's shared libraries, e.g. "libc6 (>= 2.28)". */
  shlibDepends: string[];
}

/** An extended description: each line indented by one space, blank lines as " .", wrapped at 79. */
function extended(paragraphs: string[]): string[] {
  const lines: string[] = [];
  paragraphs.forEach((p, i) => {
    if (i > 0) lines.push(" .");
    let line = "";
    for (const word of p.split(/\s+/)) {
      if (line && line.length + 1 + word.length > 78) {
        lines.push(` ${line}`);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) lines.push(` ${line}`);
  });
  return lines;
}

export function renderControl(c: ControlInput): string {
  const fields: [string, string][] = [
    ["Package", c.spec.name],
    ["Version", c.version],
    ["Architecture", ARCHES[c.arch]],
    ["Maintainer", c.maintainer],
    ["Installed-Size", String(c.installedSize)],
    ["Depends", [...c.shlibDepends, ...c.spec.depends].join(", ")],
  ];
  if (c.spec.recommends.length) fields.push(["Recommends", c.spec.recommends.join(", ")]);
  fields.push(["Section", c.spec.section], ["Priority", "optional"]);
  const description = [`Description: ${c.spec.summary}`, ...extended(c.spec.description)];
  return `${[...fields.map(([k, v]) => `${k}: ${v}`), ...description].join("\n")}\n`;
}

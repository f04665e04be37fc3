// A unit of systemd/ as the package installs it: the executable lives in /usr/bin there, where
// systemd/ (for a copy installed by hand or by cloud-init) names /usr/local/bin, and the package's
// manual page documents it.
import { AsgReleaseError } from "#shared/errors.js";

export function packagedUnit(unitText: string, manPage: string): string {
  const out = unitText
    .replace(/^(ExecStart=)\/usr\/local\/bin\//m, "$1/usr/bin/")
    .replace(/^(Description=.*\n)/m, `$1Documentation=man:${manPage.replace(/\.(\d)$/, "($1)")}\n`);
  if (!/^ExecStart=\/usr\/bin\//m.test(out) || !/^Documentation=/m.test(out)) {
    throw new AsgReleaseError("the unit needs a Description and an ExecStart under /usr/local/bin/", {
      code: "BadUnit",
    });
  }
  return out;
}

// A unit of systemd/ as the package installs it: the executable lives in /usr/bin there, where
// systemd/ (for a copy installed by hand or by cloud-init) names /usr/local/bin.
import { AsgReleaseError } from "#shared/errors.js";

export function packagedUnit(unitText: string): string {
  const out = unitText.replace(/^(ExecStart=)\/usr\/local\/bin\//m, "$1/usr/bin/");
  if (out === unitText) {
    throw new AsgReleaseError("the unit's ExecStart does not start with /usr/local/bin/", {
      code: "BadUnit",
    });
  }
  return out;
}

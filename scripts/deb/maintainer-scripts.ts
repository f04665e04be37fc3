// The maintainer scripts of a package with one systemd unit, written out as debhelper's
// dh_installsystemd would generate them, with one difference: the unit is started (restarted on
// upgrade) only when its configuration file exists. Enabling works without a running systemd
// (deb-systemd-helper writes the links itself); starting and reloading happen only under one.
import type { PackageSpec } from "./packages.js";

export interface MaintainerScripts {
  postinst: string;
  prerm: string;
  postrm: string;
}

const header = (spec: PackageSpec, what: string) => `#!/bin/sh
# ${spec.name} ${what}
set -e

UNIT=${spec.unit}
`;

export function maintainerScripts(spec: PackageSpec): MaintainerScripts {
  const head = (what: string) => header(spec, what);
  const postinst = `${head("postinst: enables the unit; starts it only under systemd and once configured.")}CONFIG=${spec.config}

case "$1" in
configure | abort-upgrade | abort-deconfigure | abort-remove)
	# Removes only a mask that the postrm of a removed (not purged) package left.
	deb-systemd-helper unmask "$UNIT" >/dev/null || true
	# was-enabled is true on a first installation: enable; on upgrade keep what the admin chose.
	if deb-systemd-helper --quiet was-enabled "$UNIT"; then
		deb-systemd-helper enable "$UNIT" >/dev/null || true
	else
		deb-systemd-helper update-state "$UNIT" >/dev/null || true
	fi
	# Without a running systemd (a chroot, an image build, a container) there is nothing to start.
	if [ -z "\${DPKG_ROOT:-}" ] && [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null || true
		# Without its configuration the unit would only be skipped (ConditionPathExists).
		if [ -e "$CONFIG" ]; then
			if [ -n "$2" ]; then action=restart; else action=start; fi
			deb-systemd-invoke "$action" "$UNIT" >/dev/null || true
		fi
	fi
	;;
esac

exit 0
`;
  const prerm = `${head("prerm: stops the unit when the package is removed (an upgrade restarts it in postinst).")}
if [ -z "\${DPKG_ROOT:-}" ] && [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	deb-systemd-invoke stop "$UNIT" >/dev/null || true
fi

exit 0
`;
  const purge = spec.purgeDirs.map((d) => `\trm -rf ${d}\n`).join("");
  const postrm = `${head("postrm: forgets the unit's enablement on purge; the state it kept goes too.")}
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	systemctl --system daemon-reload >/dev/null || true
fi
if [ "$1" = remove ] && command -v deb-systemd-helper >/dev/null; then
	deb-systemd-helper mask "$UNIT" >/dev/null || true
fi
if [ "$1" = purge ]; then
	# Gone with init-system-helpers when that was purged first.
	if command -v deb-systemd-helper >/dev/null; then
		deb-systemd-helper purge "$UNIT" >/dev/null || true
		deb-systemd-helper unmask "$UNIT" >/dev/null || true
	fi
${purge}fi

exit 0
`;
  return { postinst, prerm, postrm };
}

// The Debian packages' pure parts: control file, maintainer scripts, shared-library dependencies,
// the packaged unit, versions, and the example configurations they ship.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "#shared/config/agent.js";
import { parseSource } from "#shared/config/load.js";
import { loadServerConfig } from "#shared/config/server.js";
import { renderControl } from "../../../scripts/deb/control.js";
import { changelogDate, renderChangelog } from "../../../scripts/deb/doc-files.js";
import { maintainerScripts } from "../../../scripts/deb/maintainer-scripts.js";
import { debFileName, debVersion, PACKAGES } from "../../../scripts/deb/packages.js";
import { shlibDepends } from "../../../scripts/deb/shlibs.js";
import { packagedUnit } from "../../../scripts/deb/unit.js";

const root = join(import.meta.dirname, "..", "..", "..");
const [agent, server] = PACKAGES as [(typeof PACKAGES)[0], (typeof PACKAGES)[0]];

describe("control", () => {
  it("names the Debian architecture and puts the libraries' dependencies first", () => {
    const text = renderControl({
      spec: server,
      arch: "x64",
      version: "0.1.0",
      maintainer: "M <m@example.org>",
      installedSize: 131038,
      shlibDepends: ["libc6 (>= 2.28)"],
    });
    expect(text).toMatch(/^Package: asg-release-server\nVersion: 0.1.0\nArchitecture: amd64\n/);
    expect(text).toContain(
      "\nDepends: libc6 (>= 2.28), rsync, openssh-client, util-linux (>= 2.27), mount, e2fsprogs\n",
    );
    expect(text).toContain("\nInstalled-Size: 131038\n");
    expect(text).not.toContain("Recommends:");
    // The extended description: indented, paragraphs separated by " .", lines within 80 columns.
    const description = text.slice(text.indexOf("Description:")).trimEnd().split("\n");
    expect(description.slice(1).every((l) => l.startsWith(" ") && l.length <= 80)).toBe(true);
    expect(description).toContain(" .");
    expect(text.endsWith("\n")).toBe(true);
  });

  it("recommends the agent's container engines as alternatives", () => {
    const text = renderControl({
      spec: agent,
      arch: "arm64",
      version: "0.1.0",
      maintainer: "M <m@example.org>",
      installedSize: 1,
      shlibDepends: [],
    });
    expect(text).toContain("\nArchitecture: arm64\n");
    expect(text).toContain("\nRecommends: podman | docker.io | docker-ce, openssh-server\n");
  });
});

describe("versions and names", () => {
  it("keeps a release as it is and sorts a prerelease before its release", () => {
    expect(debVersion("0.1.0")).toBe("0.1.0");
    expect(debVersion("1.2.0-rc.1")).toBe("1.2.0~rc.1");
    expect(debFileName("asg-release-agent", "0.1.0", "x64")).toBe("asg-release-agent_0.1.0_amd64.deb");
  });

  it("dates the changelog as dpkg-parsechangelog does", () => {
    expect(changelogDate(0)).toBe("Thu, 01 Jan 1970 00:00:00 +0000");
    expect(renderChangelog(agent, "0.1.0", "M <m@example.org>", 0)).toMatch(
      /^asg-release-agent \(0\.1\.0\) unstable; urgency=medium\n\n {2}\* .+\n\n -- M <m@example\.org> {2}Thu, /,
    );
  });
});

describe("maintainer scripts", () => {
  const s = maintainerScripts(agent);

  it("enable the unit, and start it only under systemd and once configured", () => {
    expect(s.postinst).toMatch(/^#!\/bin\/sh\n/);
    expect(s.postinst).toContain("UNIT=asg-release-agent.service\n");
    expect(s.postinst).toContain("CONFIG=/etc/asg-release/agent.yaml\n");
    const enable = s.postinst.indexOf('deb-systemd-helper enable "$UNIT"');
    const systemd = s.postinst.indexOf("[ -d /run/systemd/system ]");
    const configured = s.postinst.indexOf('if [ -e "$CONFIG" ]');
    const start = s.postinst.indexOf('deb-systemd-invoke "$action" "$UNIT"');
    expect(enable).toBeGreaterThan(0);
    expect(enable).toBeLessThan(systemd);
    expect(systemd).toBeLessThan(configured);
    expect(configured).toBeLessThan(start);
  });

  it("stop on removal only, and purge what the server keeps", () => {
    expect(s.prerm).toContain('[ "$1" = remove ]');
    expect(s.postrm).toContain('deb-systemd-helper purge "$UNIT"');
    expect(s.postrm).not.toContain("rm -rf");
    expect(maintainerScripts(server).postrm).toContain("\trm -rf /var/lib/asg-release-server\n");
  });
});

describe("shared-library dependencies", () => {
  const readelf = `
 0x0000000000000001 (NEEDED)             Shared library: [libdl.so.2]
 0x0000000000000001 (NEEDED)             Shared library: [libstdc++.so.6]
 0x0000000000000001 (NEEDED)             Shared library: [libgcc_s.so.1]
 0x0000000000000001 (NEEDED)             Shared library: [libc.so.6]
 0x0000000000000001 (NEEDED)             Shared library: [ld-linux-aarch64.so.1]
  0x0010:   Name: GLIBC_2.17  Flags: none  Version: 9
  0x0020:   Name: GLIBC_2.28  Flags: none  Version: 8
  0x0030:   Name: GLIBC_2.3.4  Flags: none  Version: 7
  0x0040:   Name: GCC_3.0  Flags: none  Version: 6
  0x0050:   Name: GCC_3.4  Flags: none  Version: 5
  0x0060:   Name: GLIBCXX_3.4.21  Flags: none  Version: 4
  0x0070:   Name: GLIBCXX_3.4.9  Flags: none  Version: 3
  0x0080:   Name: CXXABI_1.3.11  Flags: none  Version: 2
`;

  it("asks for the newest symbol version each library provides", () => {
    expect(shlibDepends(readelf, "node")).toEqual([
      "libc6 (>= 2.28)",
      "libgcc-s1 (>= 3.4)",
      "libstdc++6 (>= 7)",
    ]);
  });

  it("refuses a library it cannot name the package of", () => {
    expect(() => shlibDepends(" (NEEDED) Shared library: [libssl.so.3]", "node")).toThrow(/libssl\.so\.3/);
  });
});

describe("the packaged unit", () => {
  it("runs the executable from /usr/bin, names its manual page and changes nothing else", () => {
    for (const spec of PACKAGES) {
      const unit = readFileSync(join(root, "systemd", spec.unit), "utf8");
      const packaged = packagedUnit(unit, spec.unitManPage);
      const program = spec.unit.replace(".service", "");
      expect(packaged).toMatch(new RegExp(`^ExecStart=/usr/bin/${program} `, "m"));
      expect(packaged).toMatch(new RegExp(`^Description=.*\\nDocumentation=man:${program}\\(1\\)\\n`, "m"));
      expect(
        packaged
          .replace("ExecStart=/usr/bin/", "ExecStart=/usr/local/bin/")
          .replace(/^Documentation=.*\n/m, ""),
      ).toBe(unit);
    }
  });
});

describe("the example configurations", () => {
  it("are valid", () => {
    const file = (name: string) => join(root, "packaging", "examples", name);
    expect(() => parseAgentConfig("agent.yaml", readFileSync(file("agent.yaml"), "utf8"))).not.toThrow();
    const loaded = parseSource("server.yaml", readFileSync(file("server.yaml"), "utf8"));
    expect(loadServerConfig(loaded.source!).issues).toEqual([]);
  });
});

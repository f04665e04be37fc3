// What the two Debian packages hold and need: pure data, read by scripts/build-deb.ts. The agent's
// and the server's dependencies are the programs they run (shared/proc/argv/, agent/steps/), and
// the shared libraries of the embedded node binary (added at build time, scripts/deb/shlibs.ts).

/** Node's architecture names (dist/ file names) and Debian's. */
export const ARCHES = { x64: "amd64", arm64: "arm64" } as const;
export type NodeArch = keyof typeof ARCHES;

export interface PackageSpec {
  name: string;
  /** The executable in dist/ (`<dist>-linux-<arch>`), built by scripts/build-<builder>.ts. */
  executable: { dist: string; builder: string; installAs: string };
  /** Other names of the executable, as relative symlinks in the same directory. */
  aliases: string[];
  /** systemd/<unit>: installed with ExecStart under /usr/bin, where the package puts the executable. */
  unit: string;
  /** The configuration whose presence means "configured": the unit is started only then. */
  config: string;
  /** packaging/examples/<file>, installed under /usr/share/doc/<name>/examples/. */
  example: string;
  /** packaging/man/<page>.1 for the executable and each alias. */
  manPages: string[];
  /** The page the unit's Documentation= names: the program the unit runs. */
  unitManPage: string;
  depends: string[];
  recommends: string[];
  section: string;
  summary: string;
  /** The extended description, one paragraph per entry. */
  description: string[];
  /** Directories the program writes at run time, removed on purge. */
  purgeDirs: string[];
}

export const PACKAGES: PackageSpec[] = [
  {
    name: "asg-release-agent",
    executable: { dist: "asg-release-agent", builder: "agent", installAs: "asg-release-agent" },
    aliases: [],
    unit: "asg-release-agent.service",
    config: "/etc/asg-release/agent.yaml",
    example: "agent.yaml",
    manPages: ["asg-release-agent.1"],
    unitManPage: "asg-release-agent.1",
    depends: [
      // lsblk, blkid, findmnt (the release volume's device and mounts).
      "util-linux (>= 2.27)",
      "mount",
      // The release server pushes new releases into /release with rsync over ssh.
      "rsync",
    ],
    // The container engine (container.cli, docker by default) and the sshd the release server
    // pushes through: either may come from outside the package manager, so neither is required.
    recommends: ["podman | docker.io | docker-ce", "openssh-server"],
    section: "admin",
    summary: "boot agent of asg-release: release volume, container, readiness",
    description: [
      "Runs at every boot of an EC2 Auto Scaling group member: finds the current release, " +
        "makes an EBS volume from its snapshot, mounts it at /release, runs the component's " +
        "container on it and reports ready (systemd, the launch lifecycle hook) only once the " +
        "service answers.",
      "The unit is enabled on installation and starts at boot once " +
        "/etc/asg-release/agent.yaml exists; an example is in " +
        "/usr/share/doc/asg-release-agent/examples/.",
    ],
    purgeDirs: [],
  },
  {
    name: "asg-release-server",
    executable: { dist: "asg-release", builder: "server", installAs: "asg-release" },
    aliases: ["asg-release-server"],
    unit: "asg-release-server.service",
    config: "/etc/asg-release/server.yaml",
    example: "server.yaml",
    manPages: ["asg-release.1", "asg-release-server.1"],
    unitManPage: "asg-release-server.1",
    depends: [
      // rsync over ssh to the volume and to every member; fsfreeze, blkid and lsblk around snapshots
      // and `init`; mkfs.ext4 when `init` formats a new release volume.
      "rsync",
      "openssh-client",
      "util-linux (>= 2.27)",
      "mount",
      "e2fsprogs",
    ],
    recommends: [],
    section: "admin",
    summary: "release server and CLI of asg-release",
    description: [
      "asg-release-server watches a code tree, copies it onto a release EBS volume, snapshots it, " +
        "publishes the snapshot as the current release and pushes the change to every member of " +
        "the target Auto Scaling groups. asg-release is the operator's command line: validate, " +
        "publish, deploy, status and more.",
      "The unit is enabled on installation and starts once /etc/asg-release/server.yaml exists; " +
        "an example is in /usr/share/doc/asg-release-server/examples/.",
    ],
    purgeDirs: ["/var/lib/asg-release-server"],
  },
];

/** The Debian version of an npm version: this repository is its own upstream (a native package),
 *  and a prerelease (1.2.0-rc.1) must sort before its release (1.2.0~rc.1). */
export function debVersion(npmVersion: string): string {
  return npmVersion.replace("-", "~");
}

export const debFileName = (name: string, version: string, arch: NodeArch): string =>
  `${name}_${version}_${ARCHES[arch]}.deb`;

// Podman configuration of a host, written to its own /etc/containers so that a plain `podman run`
// works inside it, over ssh too (docs/design.md#containers-with-podman: runc, cgroupfs,
// no default ulimits, vfs storage).

/** Where the files go inside the host; also exported as CONTAINERS_CONF and friends. */
export const PODMAN_FILES = {
  containersConf: "/etc/containers/containers.conf",
  storageConf: "/etc/containers/storage.conf",
  registriesConf: "/etc/containers/registries.conf.d/50-sim-insecure.conf",
} as const;

export function containersConf(): string {
  return `# Written by the sim for this host.
[containers]
default_ulimits = []
# Only loopback addresses exist in the sim: no bridge network, containers use the host's.
netns = "host"
log_driver = "k8s-file"

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
# No journald in the sim's hosts.
events_logger = "file"
`;
}

export function storageConf(): string {
  return `# Written by the sim for this host: /var/lib/containers and /run are the host's own.
[storage]
driver = "vfs"
graphroot = "/var/lib/containers/storage"
runroot = "/run/containers/storage"
`;
}

/**
 * One entry per "host:port": registries.conf has no wildcard for ports. An entry "NAME=host:port"
 * serves the registry NAME (e.g. public.ecr.aws) from the loopback one, so an image named as on
 * the internet is pulled from a local registry holding the same repository and tag.
 */
export function insecureRegistriesConf(registries: readonly string[]): string {
  const entries = registries.map((r) => {
    const [prefix, location] = r.includes("=") ? r.split("=", 2) : [undefined, r];
    const name = prefix ? `prefix = ${JSON.stringify(prefix)}\n` : "";
    return `[[registry]]\n${name}location = ${JSON.stringify(location)}\ninsecure = true\n`;
  });
  return `# Registries on loopback serve plain HTTP.\n${entries.join("\n")}`;
}

export function podmanEnv(): Record<string, string> {
  return {
    CONTAINERS_CONF: PODMAN_FILES.containersConf,
    CONTAINERS_STORAGE_CONF: PODMAN_FILES.storageConf,
  };
}

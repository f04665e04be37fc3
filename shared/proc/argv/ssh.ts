// Argv builders for ssh, Kamal-style (commands are data), and the parser that tells why an ssh
// connection failed. Host keys are checked, never ignored: pinned on first contact into a
// known_hosts file the caller owns (StrictHostKeyChecking=accept-new), refused on mismatch, and
// keyed by a stable alias (the instance id) because an ASG hands the same private IP to new
// instances with new keys.

export interface SshSettings {
  user: string;
  identityFile: string;
  /** The known_hosts file that holds the pinned keys; nothing else is consulted. */
  knownHostsFile: string;
  port?: number;
  connectTimeoutSeconds?: number;
  /**
   * Directory for connection sharing (ControlMaster): one connection per host carries every rsync
   * and read of a publish, so the key exchange (the CPU cost of a fan-out) happens once per host.
   */
  controlDir?: string;
}

/** The ssh command without the host, as rsync's `-e` wants it; `alias` names the pinned key. */
export function sshCommandArgv(s: SshSettings, alias: string): string[] {
  return [
    "ssh",
    // No user or system ssh_config: what the product runs must not depend on the host's dotfiles.
    "-F",
    "none",
    "-i",
    s.identityFile,
    "-p",
    String(s.port ?? 22),
    "-l",
    s.user,
    ...opt("IdentitiesOnly", "yes"),
    ...opt("BatchMode", "yes"),
    ...opt("StrictHostKeyChecking", "accept-new"),
    ...opt("UserKnownHostsFile", s.knownHostsFile),
    ...opt("GlobalKnownHostsFile", "/dev/null"),
    ...opt("HostKeyAlias", alias),
    ...opt("ConnectTimeout", String(s.connectTimeoutSeconds ?? 10)),
    ...opt("ServerAliveInterval", "15"),
    ...opt("ServerAliveCountMax", "3"),
    ...opt("LogLevel", "ERROR"),
    ...(s.controlDir
      ? [
          ...opt("ControlMaster", "auto"),
          // One socket per instance id: a reused address never shares a connection to another host.
          ...opt("ControlPath", `${s.controlDir}/${alias}`),
          ...opt("ControlPersist", "60s"),
        ]
      : []),
  ];
}

/** ssh to `host` running `remoteCommand` (one string, run by the remote user's shell). */
export function sshArgv(s: SshSettings, alias: string, host: string, remoteCommand: string): string[] {
  return [...sshCommandArgv(s, alias), host, "--", remoteCommand];
}

const opt = (key: string, value: string): string[] => ["-o", `${key}=${value}`];

/** Asks the shared connection behind `socket` to end (ssh -O exit); the host part is not used. */
export function sshExitMasterArgv(socket: string): string[] {
  return ["ssh", "-F", "none", "-o", `ControlPath=${socket}`, "-O", "exit", "shared-connection"];
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}

export type SshFailure = { kind: "host-key-mismatch" | "unreachable" | "auth" | "other"; message: string };

/** ssh exits 255 for its own errors; the stderr line says which. */
export function classifySshFailure(stderr: string): SshFailure {
  const line =
    stderr
      .split("\n")
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith("@@@") && !l.startsWith("Warning: Permanently added")) ?? "";
  const message = line || "ssh failed without a message";
  if (
    /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|host key for .* has changed/i.test(
      stderr,
    )
  ) {
    return {
      kind: "host-key-mismatch",
      message: "the host key differs from the one pinned on first contact",
    };
  }
  if (/Permission denied/i.test(stderr)) return { kind: "auth", message };
  if (
    /Connection refused|timed out|No route to host|Connection reset|Connection closed|Could not resolve/i.test(
      stderr,
    )
  ) {
    return { kind: "unreachable", message };
  }
  return { kind: "other", message };
}

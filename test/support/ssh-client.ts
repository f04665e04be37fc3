// An ssh identity for tests and a known_hosts file that pins each host's key, so tests reach hosts
// with host key checking on, as operators should.
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { run } from "../../sim/hosts/proc/run.js";

export interface SshClient {
  keyPath: string;
  /** "ssh-ed25519 AAAA... comment", to put in HostSpec.authorizedKeys. */
  publicKey: string;
  knownHostsPath: string;
  /** Adds the host's key to known_hosts for its address. */
  pin(host: { privateIp: string; sshHostKey: string }): Promise<void>;
  /** The ssh command (without destination), also usable as rsync's `-e`. */
  sshCommand(): string[];
}

export async function createSshClient(dir: string): Promise<SshClient> {
  const keyPath = join(dir, "id_ed25519");
  await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sim-test", "-f", keyPath]);
  const knownHostsPath = join(dir, "known_hosts");
  await writeFile(knownHostsPath, "");
  return {
    keyPath,
    publicKey: (await readFile(`${keyPath}.pub`, "utf8")).trim(),
    knownHostsPath,
    async pin(host) {
      const [type, key] = host.sshHostKey.split(" ");
      await appendFile(knownHostsPath, `${host.privateIp} ${type} ${key}\n`);
    },
    sshCommand: () => sshCommand(keyPath, knownHostsPath),
  };
}

/** ssh with this identity only, checking host keys against this known_hosts only, never prompting. */
export function sshCommand(keyPath: string, knownHostsPath: string): string[] {
  return [
    "ssh",
    "-i",
    keyPath,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    `UserKnownHostsFile=${knownHostsPath}`,
    "-o",
    "GlobalKnownHostsFile=/dev/null",
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=10",
    "-o",
    "LogLevel=ERROR",
  ];
}

// sshd of a host: listens on <privateIp>:22 only, with the host's own ed25519 key, root login by the
// authorised keys of the spec, and the host's environment in every session (SetEnv).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { HostError } from "../errors.js";
import { run } from "../proc/run.js";
import type { HostLayout } from "./layout.js";

export function sshdConfig(l: HostLayout, ip: string, env: Record<string, string>): string {
  const setEnv = Object.entries(env).map(([k, v]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || /[\n\r]/.test(v)) {
      throw new HostError("InvalidParameterValue", `environment variable not usable in sshd_config: ${k}`);
    }
    return `"${k}=${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  });
  return [
    "# Written by the sim for this host.",
    `ListenAddress ${ip}:22`,
    `HostKey ${l.hostKey}`,
    `AuthorizedKeysFile ${l.authorizedKeys}`,
    "PermitRootLogin prohibit-password",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    // The state dir's permissions are the sim's business, not sshd's.
    "StrictModes no",
    "UsePAM no",
    "UseDNS no",
    "PrintMotd no",
    "PrintLastLog no",
    "PidFile /run/sshd.pid",
    // A publish fans out rsync sessions; do not drop concurrent unauthenticated connections early.
    "MaxStartups 100:30:200",
    "Subsystem sftp /usr/lib/openssh/sftp-server",
    // sshd uses the first SetEnv line only: all variables go on one.
    ...(setEnv.length > 0 ? [`SetEnv ${setEnv.join(" ")}`] : []),
    "",
  ].join("\n");
}

/** Generates the host key; returns the public key ("ssh-ed25519 AAAA... root@hostname"). */
export async function generateHostKey(l: HostLayout, hostname: string): Promise<string> {
  await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", `root@${hostname}`, "-f", l.hostKey]);
  return (await readFile(`${l.hostKey}.pub`, "utf8")).trim();
}

export async function hostKeyFingerprint(l: HostLayout): Promise<string> {
  return (await run(["ssh-keygen", "-l", "-f", `${l.hostKey}.pub`])).stdout.trim();
}

/**
 * sshd writes its pid file once it listens (after daemonizing, so its exit says nothing). A foreign
 * listener on the same address cannot pass for it this way.
 */
export async function waitForSshd(l: HostLayout, pidFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(pidFile)) return;
    const log = await readFile(l.sshdLog, "utf8").catch(() => "");
    if (/Cannot bind any address|fatal/i.test(log))
      throw new Error(`sshd failed: ${log.trim().split("\n").slice(-3).join(" ")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`sshd not listening after ${timeoutMs} ms (see ${l.sshdLog})`);
}

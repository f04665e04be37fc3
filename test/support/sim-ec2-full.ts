// A sim of full hosts in a state dir of its own, and how its tests reach a host: polling for what
// the host does in real time, its host key pinned from the console output, and ssh with checking on.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { CreateKeyPairCommand, GetConsoleOutputCommand } from "@aws-sdk/client-ec2";
import type { AwsClients } from "#shared/aws/clients.js";
import { reclaimStateDir } from "../../sim/hosts/reclaim.js";
import { startSim, type SimHandle } from "../../sim/index.js";
import type { SimDelays } from "../../sim/runtime.js";
import { sshCommand } from "./ssh-client.js";
import { makeStateDir } from "./state-dir.js";
import { simClients } from "./sim.js";

const exec = promisify(execFile);

export interface FullSim {
  dir: string;
  sim: SimHandle;
  aws: AwsClients;
}

export async function startFullSim(name: string, delays: Partial<SimDelays>): Promise<FullSim> {
  const dir = await makeStateDir(name);
  const sim = await startSim({ stateDir: join(dir, "sim"), hostKind: "full", delays });
  return { dir, sim, aws: simClients(sim, { maxAttempts: 1 }) };
}

/** Stops what started (the sim may have been stopped by the test already) and reclaims the dir. */
export async function stopFullSim(world: Partial<FullSim>): Promise<void> {
  world.aws?.destroy();
  await world.sim?.stop();
  if (world.dir) await reclaimStateDir(world.dir);
}

/** Real hosts boot and stop in real time: poll (bounded) for what the API will show. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function consoleText(aws: AwsClients, instanceId: string): Promise<string> {
  const out = await aws.ec2.send(new GetConsoleOutputCommand({ InstanceId: instanceId }));
  return Buffer.from(out.Output ?? "", "base64").toString();
}

/**
 * Waits for the host key cloud-init prints to the console (which is how an operator pins it) and
 * writes it to `knownHostsPath` for the instance's address; returns the key and the console text.
 */
export async function pinConsoleHostKey(
  aws: AwsClients,
  instance: { id: string; ip: string },
  knownHostsPath: string,
): Promise<{ hostKey: string; console: string }> {
  const text = await until("the host key in the console output", async () => {
    const text = await consoleText(aws, instance.id);
    return text.includes("-----END SSH HOST KEY KEYS-----") ? text : undefined;
  });
  const hostKey = /-----BEGIN SSH HOST KEY KEYS-----\n(.+)\n/.exec(text)![1]!;
  await writeFile(knownHostsPath, `${instance.ip} ${hostKey}\n`);
  return { hostKey, console: text };
}

/** Runs a command as root on `ip`, with host key checking on; resolves to its trimmed stdout. */
export function sshTo(ip: string, keyPath: string, knownHostsPath: string) {
  const [ssh, ...args] = sshCommand(keyPath, knownHostsPath) as [string, ...string[]];
  return (command: string) => exec(ssh, [...args, `root@${ip}`, command]).then((r) => r.stdout.trim());
}

/** Creates the key pair "ops" and writes its private key to `dir`/ops.pem (0600): the path sshTo takes. */
export async function opsKeyPair(aws: AwsClients, dir: string): Promise<string> {
  const key = await aws.ec2.send(new CreateKeyPairCommand({ KeyName: "ops", KeyType: "ed25519" }));
  const keyPath = join(dir, "ops.pem");
  await writeFile(keyPath, `${key.KeyMaterial!}\n`, { mode: 0o600 });
  return keyPath;
}

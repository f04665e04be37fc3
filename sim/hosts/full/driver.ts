// Full hosts: each instance is a real local host (own namespaces and file system views, sshd on its
// private IP, an IMDS listener of its own, user-data run at boot). See docs/design.md#local-hosts.
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import type { BootOptions, HostDriver, HostLog, HostSpec, ImdsData } from "../driver.js";
import { silentHostLog } from "../driver.js";
import { HostError } from "../errors.js";
import { startImdsServer } from "../imds/server.js";
import { bootUnits, startInit } from "../units/host-init.js";
import { runUserData } from "../user-data/run.js";
import { removeIdleParents, sharedParents } from "./cgroups.js";
import { MACHINE_PATH, startHolder } from "./holder.js";
import { FullHost } from "./host.js";
import { HostExec } from "./host-exec.js";
import { hostLayout, type HostLayout } from "./layout.js";
import { podmanEnv } from "./podman-config.js";
import { createStateDir, prepareHost } from "./prepare.js";
import { writeRecord } from "./record.js";
import { reuseStateDir } from "./restart.js";
import { hostKeyFingerprint, waitForSshd } from "./sshd.js";
import { removeStateDir, teardown, type Running } from "./teardown.js";

export interface FullDriverOptions {
  /** Hosts live in <stateDir>/<instanceId>. */
  stateDir: string;
  /** "127.0.0.1:5099": registries the hosts' podman reaches over plain HTTP. */
  insecureRegistries?: string[];
  log?: HostLog;
  /** Clock of the metadata service (token and credential expiry). */
  now?: () => number;
}

const LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function checkSpec(spec: HostSpec): void {
  const m = LOOPBACK.exec(spec.privateIp);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) {
    throw new HostError(
      "InvalidParameterValue",
      `private IP must be in 127.0.0.0/8: ${spec.privateIp}`,
      spec.instanceId,
    );
  }
  if (!/^i-[0-9a-zA-Z]+$/.test(spec.instanceId)) {
    throw new HostError("InvalidParameterValue", `invalid instance id: ${spec.instanceId}`);
  }
}

/** The environment of every process in the host; the spec's variables win. */
function hostEnv(spec: HostSpec): Record<string, string> {
  return {
    PATH: MACHINE_PATH,
    HOME: "/root",
    USER: "root",
    LOGNAME: "root",
    LANG: "C.UTF-8",
    ...podmanEnv(),
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://${spec.privateIp}:80`,
    ...spec.env,
  };
}

/** What cloud-init prints, which clients of GetConsoleOutput read the host key from. */
async function consoleHeader(
  l: HostLayout,
  spec: HostSpec,
  publicKey: string,
  restart: boolean,
): Promise<void> {
  const fingerprint = await hostKeyFingerprint(l);
  await appendFile(
    l.consoleLog,
    [
      `[sim] ${spec.instanceId} (${spec.hostname}, ${spec.privateIp}) ${restart ? "booting again" : "booting"}`,
      "-----BEGIN SSH HOST KEY FINGERPRINTS-----",
      fingerprint,
      "-----END SSH HOST KEY FINGERPRINTS-----",
      "-----BEGIN SSH HOST KEY KEYS-----",
      publicKey,
      "-----END SSH HOST KEY KEYS-----",
      "",
    ].join("\n"),
  );
}

async function startHost(
  spec: HostSpec,
  opts: FullDriverOptions & BootOptions,
  log: HostLog,
  onStop: (h: FullHost) => void,
): Promise<FullHost> {
  checkSpec(spec);
  const restart = opts.restart === true;
  const l = hostLayout(opts.stateDir, spec.instanceId);
  const env = hostEnv(spec);
  const imds = { data: { ...spec.imds } as ImdsData };
  const r: Running = { loopDevices: [] };
  if (!restart) await createStateDir(l, spec.instanceId);
  try {
    const sshHostKey = restart
      ? await reuseStateDir(l, spec, env)
      : await prepareHost(l, spec, env, opts.insecureRegistries ?? []);
    await consoleHeader(l, spec, sshHostKey, restart);
    const view = () => ({ ...spec, data: imds.data });
    r.imds = await startImdsServer(spec.privateIp, view, { now: opts.now });
    const holder = (r.holder = await startHolder(l, spec.instanceId));
    const exec = (r.exec = new HostExec(holder, env, spec.instanceId));
    await writeRecord(l.recordFile, {
      instanceId: spec.instanceId,
      privateIp: spec.privateIp,
      unsharePid: holder.unsharePid,
      holderPid: holder.pid,
      mountNamespace: holder.mountNamespace,
      loopDevices: [],
    });
    await exec.exec(["/usr/sbin/sshd", "-f", l.sshdConfig, "-E", l.sshdLog]);
    await waitForSshd(l, join(l.runDir, "sshd.pid"), 10_000);
    await startInit(l, exec);
    const host: FullHost = new FullHost(
      {
        layout: l,
        instanceId: spec.instanceId,
        privateIp: spec.privateIp,
        sshHostKey,
        holder,
        exec,
        imdsServer: r.imds,
        imds,
        log,
      },
      () => onStop(host),
    );
    host.userData = runUserData(spec.userData, exec, l, {
      everyBootOnly: restart,
      afterInit: () => bootUnits(l, exec),
    });
    return host;
  } catch (e) {
    // A failed restart keeps the state dir: the instance is still there, stopped or not.
    await teardown(l, r, { log, keepStateDir: restart }).catch((t: Error) =>
      log.warn({ instanceId: spec.instanceId, error: t.message }, "cleanup after failed boot"),
    );
    if (e instanceof HostError) throw e;
    throw new HostError("BootFailed", (e as Error).message, spec.instanceId, { cause: e });
  }
}

export function createFullDriver(opts: FullDriverOptions): HostDriver {
  const log = opts.log ?? silentHostLog;
  const hosts = new Set<FullHost>();
  const parentsBefore = sharedParents();
  return {
    kind: "full",
    async boot(spec, bootOpts = {}) {
      const host = await startHost(spec, { ...opts, ...bootOpts }, log, (h) => hosts.delete(h));
      hosts.add(host);
      log.info({ instanceId: spec.instanceId, privateIp: spec.privateIp }, "host booted");
      return host;
    },
    async discard(instanceId) {
      if ([...hosts].some((h) => h.instanceId === instanceId))
        throw new HostError("IncorrectState", "the host is running", instanceId);
      await removeStateDir(hostLayout(opts.stateDir, instanceId).dir);
    },
    async close() {
      const results = await Promise.allSettled([...hosts].map((h) => h.stop()));
      removeIdleParents(parentsBefore);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed.length > 0) throw new Error(failed.map((f) => (f.reason as Error).message).join("; "));
    },
  };
}

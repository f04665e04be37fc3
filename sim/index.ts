// startSim(): the local region for tests, benchmarks, the demo and `asg-release sim start`.
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { mkdtemp } from "node:fs/promises";
import { listen } from "./api/server.js";
import type { PolicyDocument } from "./auth/evaluate.js";
import { bindInstanceRole, instanceRoleName } from "./auth/instance-role.js";
import type { Credentials } from "./auth/principals.js";
import { claimAddressBlock } from "./services/ec2/instances/address-block.js";
import type { FaultSpec } from "./control/faults.js";
import { DEFAULT_DELAYS, Sim, type SimDelays, type SimOptions } from "./runtime.js";
import { registerServices } from "./services/index.js";
import { DEFAULT_REGIONS } from "./state/store.js";

export interface StartSimOptions {
  /** Directory for volumes, snapshots and hosts; a new temporary one when omitted. */
  stateDir?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  accountId?: string;
  regions?: Record<string, string[]>;
  hostKind?: "full" | "light";
  delays?: Partial<SimDelays>;
  allowActions?: string[];
  /** Hold instances' role credentials to their role's policies from the start. */
  enforceInstanceRoles?: boolean;
  keepStateDir?: boolean;
  /**
   * "127.0.0.1:PORT" registries that full instances' podman reaches over plain HTTP; "NAME=127.0.0.1:PORT"
   * also serves registry NAME (public.ecr.aws, docker.io) from that one.
   */
  insecureRegistries?: string[];
}

export interface SimHandle {
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL / SDK `endpoint` / `aws --endpoint-url`. */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  readonly stateDir: string;
  readonly sim: Sim;
  /** Environment that points AWS SDKs and the AWS CLI at this region. */
  env(): Record<string, string>;
  callCounts(): Record<string, number>;
  resetCallCounts(): void;
  setFault(op: string, spec: FaultSpec | undefined): void;
  /** Enforce an IAM allow-list ("ec2:RunInstances", "s3:GetObject"), or lift it with undefined. */
  setAllowActions(actions: string[] | undefined): void;
  /** New credentials whose requests are decided by these policies (and context keys, e.g. ec2:SourceInstanceARN). */
  bindPolicies(policies: PolicyDocument[], keys?: Record<string, string>): Credentials;
  /**
   * The role credentials the instance's metadata service hands out (its profile role's policies,
   * ec2:SourceInstanceARN = the instance), for light instances too; undefined without a profile.
   */
  instanceRoleCredentials(instanceId: string): Credentials | undefined;
  /** Whether instance role credentials are held to their role's policies (off: they may do anything). */
  enforceInstanceRoles(on: boolean): void;
  advanceClock(ms: number): Promise<void>;
  stop(): Promise<void>;
}

export const SIM_CREDENTIALS = {
  accessKeyId: "AKIASIMLOCALREGION01",
  secretAccessKey: "sim-local-region-secret-key",
};

export async function startSim(opts: StartSimOptions = {}): Promise<SimHandle> {
  // Not under /tmp: full hosts get a private /tmp, and paths must read the same inside and outside.
  const stateDir = opts.stateDir ?? (await defaultStateDir());
  await mkdir(stateDir, { recursive: true });
  const regions = opts.regions ?? DEFAULT_REGIONS;
  const block = await claimAddressBlock();
  const options: SimOptions = {
    stateDir,
    accountId: opts.accountId ?? "123456789012",
    regions,
    hostKind: opts.hostKind ?? "light",
    delays: { ...DEFAULT_DELAYS, ...opts.delays },
    credentials: SIM_CREDENTIALS,
    allowActions: opts.allowActions,
    keepStateDir: opts.keepStateDir ?? false,
    insecureRegistries: opts.insecureRegistries,
    privateIpBlock: block.octet,
  };
  const sim = new Sim(options);
  sim.principals.enforceInstanceRoles = opts.enforceInstanceRoles ?? false;
  let bound = 0;
  // Released last (stoppers run in reverse), once no host holds an address of the block.
  sim.onStop(() => block.release());
  // Stoppers run in reverse: the state dir goes last, after services have stopped their hosts
  // (whose loop devices and mounts live under it).
  sim.onStop(async () => {
    if (!options.keepStateDir) await rm(stateDir, { recursive: true, force: true });
  });
  registerServices(sim);
  sim.clock.start(25, (label, err) => sim.recordError(label, err));
  const { server, url } = await listen(sim, opts.port ?? 0);
  sim.endpoint = url;
  sim.onStop(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const region = Object.keys(regions)[0] ?? "us-east-1";
  return {
    endpoint: url,
    region,
    accountId: options.accountId,
    credentials: SIM_CREDENTIALS,
    stateDir,
    sim,
    env: () => ({
      AWS_ENDPOINT_URL: url,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: SIM_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SIM_CREDENTIALS.secretAccessKey,
    }),
    callCounts: () => sim.faults.callCounts(),
    resetCallCounts: () => sim.faults.resetCounts(),
    setFault: (op, spec) => sim.setFault(op, spec),
    setAllowActions: (actions) => {
      sim.options.allowActions = actions ? [...actions] : undefined;
    },
    bindPolicies: (policies, keys = {}) => {
      const accessKeyId = `AKIASIMBOUND${String(++bound).padStart(8, "0")}`;
      sim.principals.bind(accessKeyId, {
        arn: `arn:aws:iam::${options.accountId}:user/bound-${bound}`,
        policies: () => policies,
        keys,
        instanceRole: false,
      });
      return { accessKeyId, secretAccessKey: `sim-bound-secret-${bound}` };
    },
    instanceRoleCredentials: (instanceId) => {
      for (const region of sim.state.regions.values()) {
        const instance = region.instances.get(instanceId);
        const role = instanceRoleName(sim, instance?.iamInstanceProfile?.arn);
        if (instance && role) return bindInstanceRole(sim, region.name, instanceId, role);
      }
      return undefined;
    },
    enforceInstanceRoles: (on) => {
      sim.principals.enforceInstanceRoles = on;
    },
    advanceClock: (ms) => sim.clock.advance(ms),
    stop: () => sim.stop(),
  };
}

async function defaultStateDir(): Promise<string> {
  const base = resolve(".sim-state");
  await mkdir(base, { recursive: true });
  return mkdtemp(join(base, "sim-"));
}

// What every step is given (docs/design.md#explicit-dependencies: one Deps object, nothing global): the
// config, a logger, the process runner, the clock, and the paths of the host it looks at.
import type { AwsClients } from "#shared/aws/clients.js";
import type { AgentConfig } from "#shared/config/agent.js";
import type { Logger } from "#shared/log.js";
import type { Clock } from "#shared/poll.js";
import type { Run } from "#shared/proc/run.js";
import type { Identity } from "#shared/aws/imds.js";

export interface HostPaths {
  /** proc(5): what is mounted where, as this process's mount namespace sees it. */
  mountinfo: string;
  /** udev's persistent names; Nitro EBS volumes appear here by volume id. */
  byIdDir: string;
  devDir: string;
}

export const defaultHostPaths: HostPaths = {
  mountinfo: "/proc/self/mountinfo",
  byIdDir: "/dev/disk/by-id",
  devDir: "/dev",
};

export interface AgentContext {
  config: AgentConfig;
  log: Logger;
  run: Run;
  clock: Clock;
  paths: HostPaths;
  /** NOTIFY_SOCKET, when systemd started us as a Type=notify service. */
  notifySocket?: string;
  signal?: AbortSignal;
}

/** The context once the instance knows who it is and can call AWS. */
export interface InstanceContext extends AgentContext {
  identity: Identity;
  aws: AwsClients;
}

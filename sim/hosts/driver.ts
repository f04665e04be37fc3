// What the EC2 service of the sim asks of an instance's host: boot it, attach and detach volumes,
// run commands in it, stop it. "full" hosts are real local hosts, "light" hosts are records only.

export type HostKind = "full" | "light";

/** What the instance metadata service of one instance answers (besides what HostSpec says). */
export interface ImdsData {
  region: string;
  availabilityZone: string;
  accountId: string;
  imageId: string;
  instanceType: string;
  /** The primary interface's MAC address, e.g. "0e:49:61:0f:c3:11". */
  mac: string;
  vpcId: string;
  subnetId: string;
  securityGroups?: { groupId: string; groupName: string }[];
  launchTime?: Date;
  /** MetadataOptions.HttpTokens: "required" refuses GETs without a session token (IMDSv2 only). */
  httpTokens?: "optional" | "required";
  /** The instance profile's role and the credentials IMDS hands out for it. */
  iamRole?: {
    name: string;
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
  };
  /** autoscaling/target-lifecycle-state, present for Auto Scaling members (e.g. "InService"). */
  targetLifecycleState?: string;
  /** tags/instance/, present when the instance allows tags in metadata. */
  tags?: Record<string, string>;
}

export interface HostSpec {
  instanceId: string;
  /** The instance's private IPv4 address; always in 127.0.0.0/8. */
  privateIp: string;
  /** e.g. "ip-127-0-1-5.ec2.internal" */
  hostname: string;
  /** Decoded user-data (a `#!` script, `#cloud-config`, gzip or MIME multipart). */
  userData?: Buffer;
  /** OpenSSH public keys authorised for root. */
  authorizedKeys: string[];
  /** Environment of every process in the host (AWS_ENDPOINT_URL, AWS_REGION, credentials, ...). */
  env: Record<string, string>;
  imds: ImdsData;
}

export interface ExecOptions {
  /** Added to the host's environment. */
  env?: Record<string, string>;
  input?: string | Buffer;
  /** Working directory inside the host; "/" by default. */
  cwd?: string;
  timeoutMs?: number;
  /** Throw HostCommandError on a non-zero exit (default true). */
  reject?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface UserDataStageResult {
  /** bootcmd, write_files, runcmd, or the name of a script part. */
  name: string;
  exitCode: number;
}

export interface UserDataResult {
  ok: boolean;
  stages: UserDataStageResult[];
  /** Why user-data could not run at all (unreadable cloud-config, ...). */
  error?: string;
}

export interface VolumeAttachment {
  volumeId: string;
  deviceName: string;
  imagePath: string;
  /** e.g. "/dev/loop3"; empty for light hosts. */
  loopDevice: string;
  /** /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol..., as the host sees it. */
  byIdPath: string;
}

export interface HostHandle {
  readonly kind: HostKind;
  readonly instanceId: string;
  readonly privateIp: string;
  /** The host's directory on the machine (under the driver's state dir). */
  readonly stateDir: string;
  /** The host's root file system as the machine sees it (/proc/<pid>/root); "" for light hosts. */
  readonly rootDir: string;
  /** "ssh-ed25519 AAAA...": pin it in known_hosts; "" for light hosts. */
  readonly sshHostKey: string;
  /** Settles (never rejects) when user-data has run. */
  readonly userData: Promise<UserDataResult>;
  attachVolume(volumeId: string, imagePath: string, deviceName: string): Promise<VolumeAttachment>;
  /** Unmounts the volume lazily inside the host if still mounted (as a forced detach), then releases it. */
  detachVolume(volumeId: string): Promise<void>;
  volumes(): VolumeAttachment[];
  /**
   * Runs argv inside the host (its mounts, hostname and environment) and resolves when its output
   * closes: a daemon started this way must redirect its stdio (`nohup cmd >/dev/null 2>&1 &`).
   */
  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** What EC2 GetConsoleOutput returns: boot messages and the output of user-data. */
  consoleOutput(): Promise<string>;
  updateImds(patch: Partial<ImdsData>): void;
  /**
   * Ends every process of the host, releases its volumes and removes its state dir unless kept;
   * with `keepStateDir` it also waits until the kernel has let go of the volumes' loop devices (their
   * file systems unmounted), so that the images can be attached again.
   */
  stop(opts?: { keepStateDir?: boolean }): Promise<void>;
}

export interface BootOptions {
  /**
   * Boots again from the state dir that `stop({ keepStateDir: true })` kept (an instance started
   * after a stop): same host key and file systems, a fresh /run, /tmp and /dev, and of user-data
   * only what cloud-init runs on every boot (boothooks, bootcmd).
   */
  restart?: boolean;
}

export interface HostDriver {
  readonly kind: HostKind;
  boot(spec: HostSpec, opts?: BootOptions): Promise<HostHandle>;
  /** Removes what a host stopped with `keepStateDir` kept (the instance is terminated). */
  discard(instanceId: string): Promise<void>;
  /** Stops every host this driver booted and still runs. */
  close(): Promise<void>;
}

/** Where the driver reports what it does; a pino logger fits. */
export interface HostLog {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
}

export const silentHostLog: HostLog = { info() {}, warn() {} };

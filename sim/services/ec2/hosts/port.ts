// What EC2 needs from the layer that turns an instance into a real local host (sim/hosts): boot
// one from a spec, attach and detach volume images, read its boot log, stop it. Light instances
// never reach this port.

/** Instance metadata a full host serves on its own IMDS endpoint. */
export interface HostMetadata {
  instanceId: string;
  region: string;
  availabilityZone: string;
  instanceType: string;
  imageId: string;
  accountId: string;
  privateIp: string;
  hostname: string;
  mac: string;
  vpcId: string;
  subnetId: string;
  securityGroups: string[];
  launchTime: Date;
  iamInstanceProfileArn?: string;
  tags?: Record<string, string>;
  httpTokens: "optional" | "required";
  /** Role credentials IMDS hands out under iam/security-credentials. */
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface HostBootSpec {
  instanceId: string;
  privateIp: string;
  /** base64, as RunInstances received it */
  userData?: string;
  /** OpenSSH public keys authorised for root (the launch's key pair). */
  authorizedKeys: string[];
  metadata: HostMetadata;
  /** Environment for user-data and everything started on the host: AWS SDKs point at the sim. */
  env: Record<string, string>;
}

export interface InstanceHost {
  attachVolume(volumeId: string, imagePath: string, deviceName: string): Promise<void>;
  detachVolume(volumeId: string): Promise<void>;
  /** The host's boot log so far (GetConsoleOutput). */
  consoleOutput(): Promise<string>;
  /** The host's sshd public key, once known. */
  hostPublicKey?(): string | undefined;
  stop(): Promise<void>;
}

export interface InstanceHosts {
  boot(spec: HostBootSpec): Promise<InstanceHost>;
}

/** Used while no host layer is wired in: full launches fail their boot with a clear reason. */
export const noHosts: InstanceHosts = {
  boot: () => Promise.reject(new Error("full instances are not available: no host driver is wired into EC2")),
};

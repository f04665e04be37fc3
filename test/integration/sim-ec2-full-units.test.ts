// A unit enabled by user-data (`systemctl enable --now`, as a package's instructions say) runs at
// every boot of a full instance: its first, after RebootInstances, and after StopInstances and
// StartInstances. Its output is in the host's journal.
import { join } from "node:path";
import {
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "#shared/aws/clients.js";
import type { SimHandle } from "../../sim/index.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { describeInstance } from "../support/sim.js";
import {
  pinConsoleHostKey,
  sshTo,
  startFullSim,
  stopFullSim,
  until,
  opsKeyPair,
} from "../support/sim-ec2-full.js";

const DELAY = 20;
let dir: string;
let sim: SimHandle | undefined;
let aws: AwsClients;

beforeAll(async () => {
  ({ dir, sim, aws } = await startFullSim("sim-ec2-full-units", {
    instancePendingMs: DELAY,
    instanceShutdownMs: DELAY,
  }));
});
afterAll(async () => {
  await stopFullSim({ dir, sim, aws });
});

const UNIT = [
  "[Unit]",
  "Description=boot counter",
  "After=cloud-init.service",
  "[Service]",
  "Type=notify",
  "NotifyAccess=all",
  "RemainAfterExit=yes",
  "ExecStart=/bin/sh -c 'echo booted >> /var/lib/counter/boots; echo counted; systemd-notify --ready'",
  "StateDirectory=counter",
  "[Install]",
  "WantedBy=multi-user.target",
];

const USER_DATA = [
  "#cloud-config",
  "write_files:",
  "  - path: /etc/systemd/system/counter.service",
  "    content: |",
  ...UNIT.map((l) => `      ${l}`),
  "runcmd:",
  "  - systemctl daemon-reload",
  "  - systemctl enable --now counter.service",
  "",
].join("\n");

describe("a unit enabled in a full instance", () => {
  it("runs again at every boot: reboot, stop and start", async () => {
    const keyPath = await opsKeyPair(aws, dir);
    const run = await aws.ec2.send(
      new RunInstancesCommand({
        ImageId: DEBIAN_12_AMI,
        MinCount: 1,
        MaxCount: 1,
        KeyName: "ops",
        UserData: Buffer.from(USER_DATA).toString("base64"),
      }),
    );
    const id = run.Instances![0]!.InstanceId!;
    const ip = run.Instances![0]!.PrivateIpAddress!;
    const knownHosts = join(dir, "known_hosts");
    await pinConsoleHostKey(aws, { id, ip }, knownHosts);
    const ssh = sshTo(ip, keyPath, knownHosts);
    const boots = (n: number) =>
      until(`boot ${n} to run the unit`, () =>
        ssh("wc -l < /var/lib/counter/boots 2>/dev/null || true")
          .catch(() => "")
          .then((s) => (s === String(n) ? s : undefined)),
      );

    await boots(1);
    expect(await ssh("systemctl is-enabled counter; systemctl is-active counter")).toBe("enabled\nactive");

    await aws.ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }));
    await boots(2);
    expect(await ssh("systemctl is-active counter")).toBe("active");

    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await until("the instance to be stopped", async () =>
      (await describeInstance(aws, id)).State?.Name === "stopped" ? true : undefined,
    );
    await aws.ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    await boots(3);
    expect(await ssh("systemctl is-active counter")).toBe("active");
    // The journal is kept in /var/log, across boots, like a persistent journald.
    expect(await ssh("journalctl -u counter -o cat | grep -c counted")).toBe("3");
  });
});

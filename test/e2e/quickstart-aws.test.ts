// docs/quickstart-aws.md, run as written against the local region: every ```sh block of the guide,
// in order, in one bash per place, the way a reader runs it. Only the endpoint settings differ from
// AWS, and they are set outside the guide:
//
// - the operator's workstation is a full host of the local region, logged in with the region's
//   environment (AWS_ENDPOINT_URL, AWS_REGION, credentials); its /usr/local/bin/aws passes
//   AWS_ENDPOINT_URL to the machine's AWS CLI as --endpoint-url (the CLI reads AWS_ENDPOINT_URL
//   itself only from version 2.13; Debian 12 ships 2.9);
// - apt's mirrors are endpoints too: the release host's apt has no source (the packages' dependencies
//   are installed on this machine already, and nothing leaves loopback);
// - public.ecr.aws is served by a local registry holding docker/library/busybox:1.36 (the hosts'
//   podman is told so), a busybox built from this machine's own.
//
// Between the guide's sections the test checks what the guide claims, through the region rather than
// through the guide's own commands: the group's instances InService and serving the release from
// /release, the release server active under systemd, the change pushed to every instance; and at the
// end, that the clean-up left nothing of the project behind.
import { DescribeInstancesCommand, DescribeVolumesCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StatusReport } from "../../release-server/api/status.js";
import { MACHINE_PATH, nsenterShArgv } from "../../sim/hosts/full/holder.js";
import { DEBIAN_12_AMI } from "../../sim/services/ec2/seed.js";
import { buildBusyboxImage } from "../support/busybox-image.js";
import { extractBlocks, variablesOf, type DocBlock } from "../support/doc-blocks.js";
import { openDocShell, type DocShell } from "../support/doc-shell.js";
import {
  groupInstances,
  hostOf,
  KEY_NAME,
  startFleet,
  waitUntil,
  type Fleet,
  type Host,
} from "../support/e2e/fleet.js";
import { served } from "../support/e2e/stack.js";
import { startRegistry, type Registry } from "../support/registry.js";

const root = join(import.meta.dirname, "..", "..");
const GUIDE = join(root, "docs", "quickstart-aws.md");
const GROUP = "shop.web_A";

/** The AWS CLI with the local region's endpoint: the one setting 2.9 cannot take from the environment. */
const AWS_WRAPPER = `#!/bin/sh
# The endpoint setting of the local region for the AWS CLI, which reads AWS_ENDPOINT_URL only from 2.13.
exec /usr/bin/aws \${AWS_ENDPOINT_URL:+--endpoint-url "$AWS_ENDPOINT_URL"} "$@"
`;

let registry: Registry | undefined;
let fleet: Fleet | undefined;
let workstation: Host;
const shells: DocShell[] = [];
const log = (text: string) => process.stderr.write(text);

/** What a login on a host gets: the host's environment, as its sshd sets it. */
function loginEnv(host: Host): Record<string, string> {
  return {
    PATH: MACHINE_PATH,
    HOME: "/root",
    USER: "root",
    LOGNAME: "root",
    LANG: "C.UTF-8",
    ...fleet!.sim.env(),
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://${host.privateIp}:80`,
  };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

beforeAll(async () => {
  registry = await startRegistry();
  await buildBusyboxImage({ registry, repository: "docker/library/busybox", tag: "1.36", cmd: ["sh"] });
  fleet = await startFleet("e2e-quickstart", {
    insecureRegistries: [registry.host, `public.ecr.aws=${registry.host}`],
  });
  const launched = await fleet.aws.ec2.send(
    new RunInstancesCommand({
      ImageId: DEBIAN_12_AMI,
      InstanceType: "t3.micro",
      MinCount: 1,
      MaxCount: 1,
      KeyName: KEY_NAME,
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "workstation" }] }],
    }),
  );
  workstation = await hostOf(fleet, launched.Instances?.[0]?.InstanceId ?? "");
  await workstation.sh(
    `mkdir -p /usr/local/bin && cat > /usr/local/bin/aws <<'EOF'\n${AWS_WRAPPER}EOF\nchmod 0755 /usr/local/bin/aws`,
  );
});

afterAll(async () => {
  for (const s of shells.splice(0)) await s.close().catch(() => undefined);
  await fleet?.stop();
  await registry?.stop();
});

describe("docs/quickstart-aws.md", () => {
  it(
    "runs every block as written and ends with a fleet serving the pushed release",
    { timeout: 45 * 60_000 },
    async () => {
      const { blocks, problems } = extractBlocks(readFileSync(GUIDE, "utf8"));
      expect(problems).toEqual([]);
      const f = fleet!;
      const operator = openDocShell(
        nsenterShArgv(workstation.holderPid, 'cd "$0" && exec bash --noprofile --norc', root),
        { env: loginEnv(workstation), log },
      );
      shells.push(operator);
      const places = new Map<string, DocShell>([["operator", operator]]);
      const openers = new Map(blocks.filter((b) => b.kind === "session").map((b) => [b.place, b]));
      const checks = checkpoints(f, operator);

      for (const block of blocks) {
        await checks.before(block);
        if (block.kind === "session") continue;
        const shell = places.get(block.place) ?? (await openPlace(block.place));
        log(`\n==> ${block.place}, line ${block.line}\n${block.code}\n`);
        const output = await shell.run(block.code);
        if (block.expect)
          expect(output, `the output of the block at line ${block.line}`).toContain(block.expect);
      }
      await checks.end();

      /** Opens a place's shell with its session block, from the operator's shell where it was written. */
      async function openPlace(place: string): Promise<DocShell> {
        const opener = openers.get(place);
        if (!opener) throw new Error(`no session block opens ${place}`);
        if (place === "release-host") await releaseHostEndpoints(f, await operator.value("RELEASE_HOST_ID"));
        const vars: string[] = [];
        for (const name of variablesOf(opener.code))
          vars.push(`${name}=${quote(await operator.value(name))}`);
        const cwd = await operator.value("PWD");
        const shell = openDocShell(
          nsenterShArgv(
            workstation.holderPid,
            `cd ${quote(cwd)}; ${vars.map((v) => `${v}; `).join("")}exec ${opener.code.trim()} bash`,
          ),
          { env: loginEnv(workstation), log },
        );
        shells.push(shell);
        places.set(place, shell);
        return shell;
      }
    },
  );
});

/** The release host's apt reads no mirror: its mirrors are endpoints outside loopback. */
async function releaseHostEndpoints(f: Fleet, instanceId: string): Promise<void> {
  const host = await hostOf(f, instanceId);
  await host.sh("rm -f /etc/apt/sources.list.d/*; : > /etc/apt/sources.list");
}

/** What the guide claims at the start of sections 9 and 10, and after its last block. */
function checkpoints(f: Fleet, operator: DocShell) {
  const guide = readFileSync(GUIDE, "utf8").split("\n");
  const lineOf = (heading: string) => {
    const i = guide.findIndex((l) => l.startsWith(heading));
    if (i === -1) throw new Error(`no heading "${heading}" in the guide`);
    return i + 1;
  };
  const push = lineOf("## 9. A push");
  const cleanUp = lineOf("## 10. Clean up");
  let done = 0;

  const members = async () =>
    Promise.all(
      (await groupInstances(f, GROUP))
        .filter((m) => m.state === "InService")
        .map((m) => hostOf(f, m.instanceId)),
    );
  const serverStatus = async () => {
    const ip = await operator.value("RELEASE_IP");
    return (await (await fetch(`http://${ip}:8700/v1/status`)).json()) as StatusReport;
  };

  /** Two InService members, each serving `text` from the release the server names. */
  async function fleetServes(text: string): Promise<void> {
    const hosts = await waitUntil(`2 members serving ${JSON.stringify(text)}`, async () => {
      const ms = await members();
      const bodies = await Promise.all(ms.map(served));
      return ms.length === 2 && bodies.every((b) => b === `${text}\n`) ? ms : undefined;
    });
    const current = (await serverStatus()).current?.releaseId;
    expect(current).toBeTruthy();
    for (const h of hosts) {
      const manifest = JSON.parse(await h.sh("cat /release/.asg-release/manifest.json")) as {
        releaseId?: string;
      };
      expect(manifest.releaseId, `the release on ${h.instanceId}`).toBe(current);
      // The volume is the topmost mount there (a full host binds a directory of its own under it).
      expect((await h.sh("findmnt -n -o FSTYPE /release")).split("\n").at(-1)).toBe("ext4");
    }
  }

  return {
    async before(block: DocBlock): Promise<void> {
      if (done === 0 && block.line > push) {
        done = 1;
        // The first deploy: instances booted by the agent from the first release's snapshot.
        await fleetServes("hello from release 1");
        for (const h of await members()) {
          const status = JSON.parse(await h.sh("cat /run/asg-release/status.json")) as { state?: string };
          expect(status.state, `the agent on ${h.instanceId}`).toBe("ready");
        }
      }
      if (done === 1 && block.line > cleanUp) {
        done = 2;
        // The push: the change reached every running instance, without a new instance.
        await fleetServes("hello from release 2");
        const releaseHost = await hostOf(f, await operator.value("RELEASE_HOST_ID"));
        expect(await releaseHost.sh("systemctl is-active asg-release-server")).toBe("active");
      }
    },
    async end(): Promise<void> {
      expect(done).toBe(2);
      const running = await f.aws.ec2.send(
        new DescribeInstancesCommand({
          Filters: [{ Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }],
        }),
      );
      const left = (running.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId);
      expect(left).toEqual([workstation.instanceId]);
      const volumes = await f.aws.ec2.send(
        new DescribeVolumesCommand({ Filters: [{ Name: "tag:asg-release:project", Values: ["shop"] }] }),
      );
      expect(volumes.Volumes ?? []).toEqual([]);
      const bucket = await operator.value("BUCKET");
      await expect(f.aws.s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toThrow();
    },
  };
}

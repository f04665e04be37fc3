// The boot agent end to end in the local region: an Auto Scaling group whose launch template carries
// cloud-init/agent.yaml (rendered as the deploy path renders it) boots full hosts; the agent installs
// from a URL with its sha256, takes the pointer only as signed by the key its configuration names,
// mounts a volume made from the published snapshot, runs a busybox httpd
// container serving a file from /release, completes the launch hook, and the instance goes InService.
// Then: the container's secret env never on a command line, a failed `podman run` reported without
// its arguments, a new release caught up by a re-run, a foreign filesystem refused, termination
// leaving no volume.
import { TerminateInstanceInAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand, DescribeVolumesCommand, type Volume } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import type { AgentStatus } from "../../agent/state.js";
import { INSTANCE_ID_TAG, RELEASE_ID_TAG } from "#shared/release/tags.js";
import { groupInstances, hostOf, waitUntil, type Host } from "../support/e2e/fleet.js";
import { CONTAINER_SECRET, publishRelease, runAgentIn } from "../support/agent-fleet.js";
import { useAgentGroup } from "../support/agent-group.js";
import { pointTo } from "../support/agent.js";

const world = useAgentGroup({
  prefix: "agent-boot",
  group: "web",
  start: true,
  maxSize: 2,
  desiredCapacity: 1,
  heartbeatTimeout: 600,
});
let host: Host;

const setPointer = (releaseId: string, snapshotId: string, imageDigest?: string) =>
  pointTo(world.pointer, releaseId, snapshotId, imageDigest);

async function volumesOf(instanceId: string): Promise<Volume[]> {
  const out = await world.fleet.aws.ec2.send(
    new DescribeVolumesCommand({ Filters: [{ Name: `tag:${INSTANCE_ID_TAG}`, Values: [instanceId] }] }),
  );
  return (out.Volumes ?? []).filter((v) => v.State !== "deleted");
}

const statusOf = async (h: Host): Promise<AgentStatus> =>
  JSON.parse(await h.sh("/usr/local/bin/asg-release-agent status --json || true")) as AgentStatus;

const served = (h: Host) =>
  fetch(`http://${h.privateIp}:8080/index.html`).then(
    (r) => r.text(),
    () => "",
  );

describe("the agent on a full instance of an Auto Scaling group", () => {
  it("boots from user-data to InService, serving the release's file from /release", async () => {
    const [instanceId] = await waitUntil(
      "the instance InService",
      async () => {
        const members = await groupInstances(world.fleet, "web");
        return members.length === 1 && members[0]!.state === "InService"
          ? [members[0]!.instanceId]
          : undefined;
      },
      100_000,
    );
    host = await hostOf(world.fleet, instanceId!);
    expect(await served(host)).toBe("release r1\n");
    const status = await statusOf(host);
    expect(status).toMatchObject({
      state: "ready",
      releaseId: "r1",
      lifecycle: "CONTINUE",
      mountPath: "/release",
    });
    expect(status.steps.map((s) => s.name)).toEqual([
      "identity",
      "pointer",
      "volume",
      "mount",
      "container",
      "readiness",
      "report",
    ]);
    const volumes = await volumesOf(instanceId!);
    expect(volumes).toHaveLength(1);
    expect(volumes[0]).toMatchObject({ State: "in-use", VolumeId: status.volumeId });
    expect(volumes[0]!.Attachments?.[0]).toMatchObject({ InstanceId: instanceId, DeleteOnTermination: true });
    expect(await host.sh("grep ' /release ' /etc/fstab")).toMatch(
      /^UUID=[0-9a-f-]+ \/release ext4 ro,nodev,nosuid,nofail 0 0$/,
    );
    // The mount itself, as the kernel has it: read-only, no device files, no setuid.
    const flags = (await host.sh("grep ' /release ' /proc/mounts | tail -n1")).split(" ")[3]!.split(",");
    expect(flags).toEqual(expect.arrayContaining(["ro", "nodev", "nosuid"]));
    // Only root reads the configuration (it holds the container's environment) and the status file.
    expect(await host.sh("stat -c %a /etc/asg-release/agent.yaml /run/asg-release/status.json")).toBe(
      "600\n600",
    );
    const tags = (
      await world.fleet.aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId!] }))
    ).Reservations?.[0]?.Instances?.[0]?.Tags;
    expect(tags).toContainEqual({ Key: RELEASE_ID_TAG, Value: "r1" });
  });

  it("changes nothing when run again", async () => {
    const before = await statusOf(host);
    const again = await runAgentIn(world.fleet, host);
    expect(again.exitCode).toBe(0);
    const status = await statusOf(host);
    expect(status.volumeId).toBe(before.volumeId);
    expect(status.steps.find((s) => s.name === "mount")?.detail).toMatch(/^kept /);
    expect(status.steps.find((s) => s.name === "container")?.detail).toMatch(/^kept /);
    expect(await volumesOf(host.instanceId)).toHaveLength(1);
  });

  it("hands the container its secret env without it ever being on a command line", async () => {
    const inside = () => host.sh("podman exec web sh -c 'echo $API_TOKEN'");
    expect(await inside()).toBe(CONTAINER_SECRET);
    // A changed value replaces the container; meanwhile every command line on the host is sampled.
    const next = `${CONTAINER_SECRET}-2`;
    await host.sh(
      `sed -i 's/API_TOKEN: ${CONTAINER_SECRET}/API_TOKEN: ${next}/' /etc/asg-release/agent.yaml`,
    );
    const pattern = CONTAINER_SECRET.replace("s3cret", "s3cr[e]t");
    await host.sh(
      `rm -f /tmp/argv-*; (while [ ! -e /tmp/argv-stop ]; do ` +
        `grep -l -- '${pattern}' /proc/[0-9]*/cmdline >>/tmp/argv-secret 2>/dev/null; ` +
        `grep -l -- '--env-fil[e]' /proc/[0-9]*/cmdline >>/tmp/argv-envfile 2>/dev/null; done) ` +
        `>/dev/null 2>&1 </dev/null &`,
    );
    const again = await runAgentIn(world.fleet, host);
    await host.sh("touch /tmp/argv-stop; sleep 0.5");
    expect(again.exitCode).toBe(0);
    expect((await statusOf(host)).steps.find((s) => s.name === "container")?.detail).toMatch(/^replaced /);
    expect(await inside()).toBe(next);
    // The sampler saw `podman run` (its --env-file), never the value.
    expect(await host.sh("sort -u /tmp/argv-envfile | wc -l")).not.toBe("0");
    expect(await host.sh("cat /tmp/argv-secret 2>/dev/null | wc -l")).toBe("0");
    expect(await host.sh("ls -A /run/asg-release")).toBe("status.json");
    expect(JSON.stringify(again.lines)).not.toContain(CONTAINER_SECRET);
  });

  it("fails a bad `podman run` with the command and exit code, not its arguments", async () => {
    await host.sh(`sed -i '/^  env:/a\\  run_args: ["--memory", "lots"]' /etc/asg-release/agent.yaml`);
    const failed = await runAgentIn(world.fleet, host);
    expect(failed.exitCode).toBe(1);
    const status = await statusOf(host);
    expect(status).toMatchObject({ state: "failed", step: "container" });
    expect(status.reason).toMatch(/^container: command failed \(exit 125\): podman run: /);
    for (const arg of [CONTAINER_SECRET, "--env-file", "--label", "--volume", "--name"]) {
      expect(status.reason).not.toContain(arg);
    }
    expect(JSON.stringify(failed.lines)).not.toContain(CONTAINER_SECRET);
    await host.sh(`sed -i '/^  run_args:/d' /etc/asg-release/agent.yaml`);
    expect((await runAgentIn(world.fleet, host)).exitCode).toBe(0);
    expect(await served(host)).toBe("release r1\n");
  });

  it("catches up with a new release on the next boot: new volume, container on it, old volume gone", async () => {
    const old = (await statusOf(host)).volumeId;
    setPointer(
      "r2",
      await publishRelease(world.fleet, world.az, "r2", { "www/index.html": "release r2\n" }),
      world.image.digest,
    );
    const run = await runAgentIn(world.fleet, host);
    expect(run.exitCode).toBe(0);
    const status = await statusOf(host);
    expect(status).toMatchObject({ state: "ready", releaseId: "r2" });
    expect(status.volumeId).not.toBe(old);
    expect(status.image).toBe(`${world.image.ref.replace(/:1$/, "")}@${world.image.digest}`);
    expect(status.steps.find((s) => s.name === "mount")?.detail).toMatch(/^switched /);
    expect(status.steps.find((s) => s.name === "cleanup")?.detail).toBe(`deleted ${old}`);
    expect(await served(host)).toBe("release r2\n");
    expect((await volumesOf(host.instanceId)).map((v) => v.VolumeId)).toEqual([status.volumeId]);
    // The signed pointer it ran is remembered across reboots: an older one is refused from now on.
    expect(JSON.parse(await host.sh("cat /var/lib/asg-release/pointer.json"))).toMatchObject({
      sequence: 2,
      releaseId: "r2",
    });
  });

  it("refuses to mount over a filesystem that is not its own", async () => {
    await host.sh(
      "podman rm -f web >/dev/null; umount /release; mount -t tmpfs -o size=1m tmpfs /release && touch /release/data",
    );
    const run = await runAgentIn(world.fleet, host);
    expect(run.exitCode).toBe(1);
    const status = await statusOf(host);
    expect(status).toMatchObject({ state: "failed", step: "mount" });
    expect(status.reason).toContain(
      "/release holds tmpfs from tmpfs, which is not a release volume of this instance",
    );
    expect(await host.sh("findmnt -n -o FSTYPE /release | tail -n1")).toBe("tmpfs");
    await host.sh("rm /release/data");
    // An empty mount hides nothing: the agent mounts the release over it.
    expect((await runAgentIn(world.fleet, host)).exitCode).toBe(0);
    expect(await served(host)).toBe("release r2\n");
  });

  it("leaves no volume behind when the instance terminates", async () => {
    const instanceId = host.instanceId;
    await world.fleet.aws.autoscaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({
        InstanceId: instanceId,
        ShouldDecrementDesiredCapacity: true,
      }),
    );
    await waitUntil(
      "the release volume deleted with its instance",
      async () => ((await volumesOf(instanceId)).every((v) => v.State === "deleting") ? true : undefined),
      120_000,
    );
  });
});

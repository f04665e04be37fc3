// Units in full hosts, run by the host's own service manager: enablement as systemctl makes it,
// enabled units started at every boot (first boot and a restart from the kept state dir), Type=notify
// with READY=1 from systemd-notify, Restart=on-failure with RestartPreventExitStatus=, conditions,
// states in is-active/status, output in journalctl, and the machine's own systemctl never reached.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HostSpec } from "../../sim/hosts/driver.js";
import { createFullDriver } from "../../sim/hosts/full/driver.js";
import type { FullHost } from "../../sim/hosts/full/host.js";
import { reclaimStateDir } from "../../sim/hosts/reclaim.js";
import { freeLoopbackIp } from "../support/loopback.js";
import { makeStateDir } from "../support/state-dir.js";

let dir: string;
let driver: ReturnType<typeof createFullDriver> | undefined;

async function spec(instanceId: string, userData?: string): Promise<HostSpec> {
  const ip = await freeLoopbackIp();
  return {
    instanceId,
    privateIp: ip,
    hostname: `ip-${ip.replaceAll(".", "-")}.ec2.internal`,
    userData: userData === undefined ? undefined : Buffer.from(userData),
    authorizedKeys: [],
    env: { AWS_REGION: "us-east-2" },
    imds: {
      region: "us-east-2",
      availabilityZone: "us-east-2b",
      accountId: "123456789012",
      imageId: "ami-0sim",
      instanceType: "t3.nano",
      mac: "0e:00:00:00:00:02",
      vpcId: "vpc-0sim",
      subnetId: "subnet-0sim",
    },
  };
}

const sh = async (host: FullHost, script: string) => {
  const r = await host.exec(["/bin/sh", "-c", script], { reject: false });
  return { code: r.exitCode, out: r.stdout.trim(), err: r.stderr.trim() };
};

// A notify unit like the agent's: READY=1 through systemd-notify from a child, then exits 0.
const NOTIFY_UNIT = `[Unit]
Description=boot counter
ConditionPathExists=/etc/counter.conf
[Service]
Type=notify
NotifyAccess=all
RemainAfterExit=yes
EnvironmentFile=-/etc/counter.env
ExecStart=/bin/sh -c 'echo "boot $$(cat /etc/counter.conf) \${GREETING}" >> /var/lib/counter/boots; sleep 0.2; systemd-notify --ready --status=counted'
StateDirectory=counter
UMask=0022
ProtectSystem=strict
[Install]
WantedBy=multi-user.target
`;

// Exit 1 until the third run, then stays up; exit 2 is not retried.
const FLAKY_UNIT = `[Unit]
Description=flaky
[Service]
Type=simple
Environment=MODE=flaky
StateDirectory=flaky
WorkingDirectory=/var/lib/flaky
ExecStartPre=/bin/echo pre
ExecStart=/bin/sh -c 'echo run >> runs; n=$$(wc -l < runs); echo "run $$n in $$PWD $MODE"; if [ -e /etc/flaky.exit ]; then exit $$(cat /etc/flaky.exit); fi; [ $$n -ge 3 ] || exit 1; exec sleep 1000'
Restart=on-failure
RestartSec=0.1
RestartPreventExitStatus=2
`;

beforeAll(async () => {
  dir = await makeStateDir("sim-hosts-units");
  driver = createFullDriver({ stateDir: join(dir, "hosts") });
});

afterAll(async () => {
  await driver?.close();
  if (dir) await reclaimStateDir(dir);
});

async function waitFor(host: FullHost, script: string, expected: string): Promise<string> {
  let last = "";
  for (let i = 0; i < 200; i++) {
    last = (await sh(host, script)).out;
    if (last === expected) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

describe("units in full hosts", () => {
  it("enables a unit as systemctl does and starts it at every boot, after write_files", async () => {
    const userData = [
      "#cloud-config",
      "write_files:",
      "  - path: /etc/systemd/system/counter.service",
      "    content: |",
      ...NOTIFY_UNIT.split("\n").map((l) => `      ${l}`),
      "  - path: /etc/counter.conf",
      "    content: one",
      "runcmd:",
      "  - [systemctl, enable, counter.service]",
      "  - [sh, -c, 'systemctl is-active counter > /root/at-runcmd || true']",
      "",
    ].join("\n");
    const host = (await driver!.boot(await spec("i-0units1", userData))) as FullHost;
    expect(await host.userData).toMatchObject({ ok: true });
    // Not enabled at the first boot's unit start (runcmd enables it afterwards): not started yet.
    expect((await sh(host, "cat /root/at-runcmd")).out).toBe("inactive");
    expect((await sh(host, "systemctl is-enabled counter")).out).toBe("enabled");
    expect((await sh(host, "readlink /etc/systemd/system/multi-user.target.wants/counter.service")).out).toBe(
      "/etc/systemd/system/counter.service",
    );
    // The host's systemctl is the host's own, whatever the path.
    expect((await sh(host, "/usr/bin/systemctl is-system-running")).out).toBe("running");

    // READY=1 makes start return; the unit then stays active (exited).
    await sh(host, "echo GREETING=hello > /etc/counter.env");
    const start = await sh(host, "systemctl start counter && systemctl is-active counter");
    expect(start).toMatchObject({ code: 0, out: "active" });
    expect((await sh(host, "cat /var/lib/counter/boots")).out).toBe("boot one hello");
    const status = await sh(host, "systemctl status counter");
    expect(status.code).toBe(0);
    expect(status.out).toContain("Active: active (exited)");
    expect(status.out).toContain('Status: "counted"');
    expect((await sh(host, "journalctl -u counter.service --no-pager")).out).toContain(
      "ProtectSystem= not supported here, ignored",
    );

    // A restart of the instance (StopInstances/StartInstances, RebootInstances) boots it again.
    await host.stop({ keepStateDir: true });
    const again = (await driver!.boot(await spec("i-0units1", userData), { restart: true })) as FullHost;
    expect(await again.userData).toMatchObject({ ok: true });
    expect((await sh(again, "cat /var/lib/counter/boots")).out).toBe("boot one hello\nboot one hello");
    expect((await sh(again, "systemctl is-active counter")).out).toBe("active");

    // A condition not met skips the unit at the next boot, which is not a failure.
    await sh(again, "rm /etc/counter.conf");
    await again.stop({ keepStateDir: true });
    const third = (await driver!.boot(await spec("i-0units1", userData), { restart: true })) as FullHost;
    await third.userData;
    const skipped = await sh(third, "systemctl status counter");
    expect(skipped.code).toBe(3);
    expect(skipped.out).toContain("ConditionPathExists=/etc/counter.conf was not met");
    expect((await sh(third, "systemctl start counter; echo $?; systemctl is-active counter")).out).toBe(
      "0\ninactive",
    );
    expect((await sh(third, "wc -l < /var/lib/counter/boots")).out).toBe("2");
    await third.stop();
  });

  it("restarts on failure, but not after a RestartPreventExitStatus= code; answers as systemctl", async () => {
    const host = (await driver!.boot(await spec("i-0units2"))) as FullHost;
    await sh(host, `cat > /etc/systemd/system/flaky.service <<'EOF'\n${FLAKY_UNIT}EOF`);
    const first = await sh(host, "systemctl daemon-reload; systemctl start flaky");
    expect(first.code).toBe(0);
    expect(await waitFor(host, "systemctl is-active flaky; wc -l < /var/lib/flaky/runs", "active\n3")).toBe(
      "active\n3",
    );
    expect((await sh(host, "journalctl -u flaky -o cat")).out).toContain("run 3 in /var/lib/flaky flaky");
    // Static unit: no [Install] section.
    expect(await sh(host, "systemctl is-enabled flaky")).toMatchObject({ code: 0, out: "static" });

    await sh(host, "echo 2 > /etc/flaky.exit");
    const restart = await sh(host, "systemctl restart flaky");
    expect(restart.code).toBe(0);
    expect(await waitFor(host, "systemctl is-active flaky", "failed")).toBe("failed");
    expect((await sh(host, "wc -l < /var/lib/flaky/runs")).out).toBe("4");
    const status = await sh(host, "systemctl status flaky");
    expect(status.code).toBe(3);
    expect(status.out).toContain("failed (Result: exit-code)");

    expect(await sh(host, "systemctl start nope")).toMatchObject({
      code: 5,
      err: "Failed to start nope.service: Unit nope.service not found.",
    });
    expect(await sh(host, "systemctl is-active nope")).toMatchObject({ code: 3, out: "inactive" });
    expect(await sh(host, "systemctl status nope")).toMatchObject({ code: 4 });
    expect(await sh(host, "systemctl enable nope")).toMatchObject({
      code: 1,
      err: "Failed to enable unit: Unit file nope.service does not exist.",
    });
    await host.stop();
  });
});

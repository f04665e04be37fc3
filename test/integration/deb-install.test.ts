// The Debian packages of `npm run build:deb`: lintian finds no error or warning, the arm64 ones
// carry the arm64 executables, and the amd64 ones install with `apt install ./FILE.deb` in a full
// host of the local region (its /usr is copy-on-write, so nothing lands on the machine): the unit
// passes systemd-analyze verify, the executables run, the unit is enabled but not started, the
// postinst starts it only once configured, and remove then purge leave nothing behind.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { createFullDriver } from "../../sim/hosts/full/driver.js";
import type { FullHost } from "../../sim/hosts/full/host.js";
import type { HostDriver } from "../../sim/hosts/driver.js";
import { reclaimStateDir } from "../../sim/hosts/reclaim.js";
import { run } from "#shared/proc/run.js";
import { freeLoopbackIp } from "../support/loopback.js";
import { makeStateDir } from "../support/state-dir.js";

const root = join(import.meta.dirname, "..", "..");
const debDir = join(root, "dist", "deb");
const version = pkg.version.replace("-", "~");
const deb = (name: string, arch: string) => join(debDir, `${name}_${version}_${arch}.deb`);

let dir: string;
let driver: HostDriver | undefined;
let host: FullHost;

/** Runs a shell script in the host as root; resolves its exit code and output. */
const sh = (script: string) =>
  host.exec(["/bin/sh", "-c", script], {
    reject: false,
    timeoutMs: 120_000,
    env: { DEBIAN_FRONTEND: "noninteractive" },
  });
const ok = async (script: string) => {
  const r = await sh(script);
  expect(r.stderr, script).not.toMatch(/^E: /m);
  expect(r.exitCode, `${script}\n${r.stdout}${r.stderr}`).toBe(0);
  return r.stdout.trim();
};

beforeAll(async () => {
  await run([process.execPath, join(root, "bin", "build-deb.js"), "--fast"], { timeoutMs: 1_500_000 });
  dir = await makeStateDir("deb-install");
  driver = createFullDriver({ stateDir: join(dir, "hosts") });
  const ip = await freeLoopbackIp();
  host = (await driver.boot({
    instanceId: "i-0deb000000000001",
    privateIp: ip,
    hostname: `ip-${ip.replaceAll(".", "-")}.ec2.internal`,
    authorizedKeys: [],
    env: {},
    imds: {
      region: "eu-west-1",
      availabilityZone: "eu-west-1a",
      accountId: "123456789012",
      imageId: "ami-0sim",
      instanceType: "t3.micro",
      mac: "0e:00:00:00:00:01",
      vpcId: "vpc-0sim",
      subnetId: "subnet-0sim",
      targetLifecycleState: "InService",
    },
  })) as FullHost;
}, 1_800_000);

afterAll(async () => {
  await driver?.close();
  if (dir) await reclaimStateDir(dir);
});

describe("the packages", () => {
  it("pass lintian without errors or warnings (overrides carry their reasons)", async () => {
    const files = ["amd64", "arm64"].flatMap((a) => [
      deb("asg-release-agent", a),
      deb("asg-release-server", a),
    ]);
    const r = await run(["lintian", "--fail-on", "error,warning", ...files], {
      okExitCodes: [0, 1, 2],
      timeoutMs: 600_000,
    });
    // Tags go to stdout; stderr only says that lintian runs as root.
    expect(r.stdout).toBe("");
    expect(r.exitCode).toBe(0);
  }, 600_000);

  it("build arm64 packages around the arm64 executables", async () => {
    for (const [name, exe] of [
      ["asg-release-agent", "asg-release-agent"],
      ["asg-release-server", "asg-release"],
    ] as const) {
      const info = (await run(["dpkg-deb", "--field", deb(name, "arm64")])).stdout;
      expect(info).toMatch(/^Architecture: arm64$/m);
      expect(info).toMatch(/^Depends: libc6 \(>= 2\.\d+\), .*rsync/m);
      const list = (await run(["dpkg-deb", "--contents", deb(name, "arm64")])).stdout;
      expect(list).toContain(`./usr/bin/${exe}\n`);
      expect(list).toContain(`./lib/systemd/system/${name}.service\n`);
      const stage = join(debDir, ".stage", `${name}_arm64`, "usr", "bin", exe);
      expect((await run(["readelf", "--file-header", stage])).stdout).toMatch(/Machine:\s+AArch64/);
    }
  });
});

describe.each([
  {
    name: "asg-release-agent",
    unit: "asg-release-agent.service",
    config: "/etc/asg-release/agent.yaml",
    runs: ["asg-release-agent --version"],
    state: undefined,
  },
  {
    name: "asg-release-server",
    unit: "asg-release-server.service",
    config: "/etc/asg-release/server.yaml",
    runs: ["asg-release --version", "asg-release-server --help"],
    state: "/var/lib/asg-release-server",
  },
])("$name installed in a full host", ({ name, unit, config, runs, state }) => {
  const wants = `/etc/systemd/system/multi-user.target.wants/${unit}`;

  it("installs with apt, only in the host", async () => {
    await ok(`apt-get install -y ${deb(name, "amd64")}`);
    expect(await ok(`dpkg-query -W -f '\${Status} \${Version}' ${name}`)).toBe(
      `install ok installed ${version}`,
    );
    expect(existsSync(`/usr/bin/${name}`)).toBe(false);
  });

  it("has a unit that passes systemd-analyze verify, with its ExecStart in /usr/bin", async () => {
    const r = await sh(`systemd-analyze verify /lib/systemd/system/${unit}`);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(await ok(`grep ^ExecStart= /lib/systemd/system/${unit}`)).toMatch(/^ExecStart=\/usr\/bin\//);
  });

  it("runs its executables", async () => {
    for (const command of runs) {
      const out = await ok(command);
      if (command.endsWith("--version")) expect(out).toContain(pkg.version);
      else expect(out).toContain("--config");
    }
  });

  it("is enabled, and not started without systemd nor configuration", async () => {
    expect(await ok(`readlink ${wants}`)).toBe(`/lib/systemd/system/${unit}`);
    expect(await ok(`ps -eo comm= | grep -c '^asg-release' || true`)).toBe("0");
  });

  it("starts the unit only under systemd and once configured: restarts it on upgrade", async () => {
    // A running systemd as the postinst sees it, with the commands that would act on it recorded.
    await ok(`mkdir -p /run/systemd/system /usr/local/sbin /tmp/stubs
for c in systemctl deb-systemd-invoke; do
  printf '#!/bin/sh\\necho "%s $*" >>/tmp/stubs/log\\n' $c >/usr/local/sbin/$c && chmod +x /usr/local/sbin/$c
done`);
    const postinst = (args: string) =>
      ok(
        `rm -f /tmp/stubs/log; PATH=/usr/local/sbin:$PATH /var/lib/dpkg/info/${name}.postinst ${args}; cat /tmp/stubs/log`,
      );
    try {
      expect(await postinst("configure")).toBe("systemctl --system daemon-reload");
      await ok(`touch ${config}`);
      expect((await postinst("configure")).split("\n")).toEqual([
        "systemctl --system daemon-reload",
        `deb-systemd-invoke start ${unit}`,
      ]);
      expect((await postinst(`configure ${version}`)).split("\n")).toContain(
        `deb-systemd-invoke restart ${unit}`,
      );
    } finally {
      await ok(
        `rm -rf /run/systemd/system /usr/local/sbin/systemctl /usr/local/sbin/deb-systemd-invoke ${config}`,
      );
    }
  });

  it("is removed, then purged, leaving nothing behind", async () => {
    if (state) await ok(`mkdir -p ${state} && touch ${state}/known_hosts`);
    await ok(`apt-get remove -y ${name}`);
    expect(await ok(`dpkg-query -W -f '\${Status}' ${name}`)).toBe("deinstall ok config-files");
    await ok(`! test -e /usr/bin/${name} && ! test -e /lib/systemd/system/${unit}`);
    await ok(`apt-get purge -y ${name}`);
    expect((await sh(`dpkg-query -W ${name}`)).exitCode).not.toBe(0);
    const left = await ok(
      `ls -d ${wants} /etc/systemd/system/${unit} /etc/asg-release /var/lib/systemd/deb-systemd-helper-enabled/${unit} ` +
        `/var/lib/systemd/deb-systemd-helper-masked/${unit} ${state ?? ""} 2>/dev/null || true`,
    );
    expect(left).toBe("");
  });
});

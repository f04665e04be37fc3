// The Debian packages of `npm run build:deb`: lintian finds no error or warning, the arm64 ones
// carry the arm64 executables, and the amd64 ones install with `apt install ./FILE.deb` in a full
// host of the local region (its /usr is copy-on-write, so nothing lands on the machine): the unit
// passes systemd-analyze verify, the executables run, the unit is enabled but not started, the
// postinst starts it only once configured, and remove then purge leave nothing behind. Then the
// cloud-init template, switched to the package, installs it for the instance's architecture.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { createFullDriver } from "../../sim/hosts/full/driver.js";
import type { FullHost } from "../../sim/hosts/full/host.js";
import type { HostDriver } from "../../sim/hosts/driver.js";
import { reclaimStateDir } from "../../sim/hosts/reclaim.js";
import { run } from "#shared/proc/run.js";
import { freeLoopbackIp } from "../support/loopback.js";
import { makeStateDir } from "../support/state-dir.js";
import { buildInDist } from "../support/agent-build.js";

const root = join(import.meta.dirname, "..", "..");
const debDir = join(root, "dist", "deb");
const version = pkg.version.replace("-", "~");
const deb = (name: string, arch: string) => join(debDir, `${name}_${version}_${arch}.deb`);

let dir: string;
let driver: HostDriver | undefined;
let host: FullHost;
let ip: string;

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

/** A full host on `ip` (one at a time), with `userData` if given. */
async function boot(instanceId: string, userData?: string): Promise<FullHost> {
  return (await driver!.boot({
    instanceId,
    privateIp: ip,
    hostname: `ip-${ip.replaceAll(".", "-")}.ec2.internal`,
    ...(userData ? { userData: Buffer.from(userData) } : {}),
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
}

beforeAll(async () => {
  await buildInDist(["bin/build-deb.js", "--fast"], 1_500_000);
  dir = await makeStateDir("deb-install");
  driver = createFullDriver({ stateDir: join(dir, "hosts") });
  ip = await freeLoopbackIp();
  host = await boot("i-0deb000000000001");
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
      // The ELF header's e_machine (offset 18): 183 is AArch64.
      const header = await run([
        "sh",
        "-c",
        `dpkg-deb --fsys-tarfile ${deb(name, "arm64")} | tar -xO ./usr/bin/${exe} | od -An -tu2 -j18 -N2`,
      ]);
      expect(header.stdout.trim()).toBe("183");
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

  it("is enabled, and not started without its configuration", async () => {
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

describe("the cloud-init template with SOURCE=package", () => {
  it("downloads the package for the instance's architecture, checks it and installs it with apt", async () => {
    await host.stop();
    const files = new Map<string, Buffer>();
    const sums: string[] = [];
    for (const arch of ["amd64", "arm64"]) {
      const data = await readFile(deb("asg-release-agent", arch));
      files.set(`/asg-release-agent_${arch}.deb`, data);
      sums.push(`${arch}:${createHash("sha256").update(data).digest("hex")}`);
    }
    const server = createServer((req, res) => {
      const data = files.get(req.url ?? "");
      res.writeHead(data ? 200 : 404).end(data);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const doc = parseDocument(await readFile(join(root, "cloud-init", "agent.yaml"), "utf8"));
      const install = String(doc.getIn(["write_files", 1, "content"]))
        .replace(/^SOURCE=.*$/m, "SOURCE=package")
        .replace(/^URL=.*$/m, `URL="http://127.0.0.1:${port}/asg-release-agent_@ARCH@.deb"`)
        .replace(/^SHA256=.*$/m, `SHA256="${sums.join(" ")}"`);
      doc.setIn(["write_files", 1, "content"], install);
      // Installed and configured only: the agent itself is not started here.
      (doc.get("runcmd") as { items: unknown[] }).items.pop();
      host = await boot("i-0deb000000000002", doc.toString());
      const result = await host.userData;
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(await ok("dpkg-query -W -f '${Status}' asg-release-agent")).toBe("install ok installed");
      await ok("test -x /usr/bin/asg-release-agent && test -f /etc/asg-release/agent.yaml");
      // The packaged unit is the one systemd would load, not the bare executable's copy.
      await ok(
        "! test -e /etc/systemd/system/asg-release-agent.service && ! test -e /usr/local/bin/asg-release-agent",
      );
      expect(await ok("asg-release-agent --version")).toContain(pkg.version);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

// The pure parts of sim/hosts: user-data planning, cloud-config scripts (run by a real sh), metadata
// paths, device names, volume checks, mountinfo and the holder's mount plan.
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { hostLayout } from "../../sim/hosts/full/layout.js";
import { holderScript, keptVisible, privateMounts } from "../../sim/hosts/full/private-mounts.js";
import { resolveImds, type ImdsView } from "../../sim/hosts/imds/routes.js";
import { deviceAliases, nvmeByIdPath } from "../../sim/hosts/naming.js";
import { parseMountinfo } from "../../sim/hosts/proc/mountinfo.js";
import { run } from "../../sim/hosts/proc/run.js";
import { parseCloudConfig, writeFilesScript } from "../../sim/hosts/user-data/cloud-config.js";
import { planUserData } from "../../sim/hosts/user-data/plan.js";
import { VolumeTable } from "../../sim/hosts/volume-table.js";

const names = (data: string | Buffer) => planUserData(Buffer.from(data)).stages.map((s) => s.name);

describe("user-data plan", () => {
  it("runs a #! script as it is", () => {
    const plan = planUserData(Buffer.from("#!/bin/bash\necho hi\n"));
    expect(plan.stages).toEqual([
      // Scripts run in cloud-init's final stage, after the enabled units have started.
      { name: "part-001", script: Buffer.from("#!/bin/bash\necho hi\n"), run: "exec", phase: "final" },
    ]);
  });

  it("orders cloud-config as cloud-init: bootcmd, write_files, deferred write_files, runcmd", () => {
    const cc = `#cloud-config
runcmd: [ "echo r" ]
write_files:
  - { path: /etc/a, content: a, defer: true }
  - { path: /etc/b, content: b }
bootcmd: [ [echo, "it's"] ]
packages: [curl]
`;
    const plan = planUserData(Buffer.from(cc));
    expect(plan.stages.map((s) => s.name)).toEqual([
      "bootcmd",
      "write_files",
      "write_files_deferred",
      "runcmd",
    ]);
    expect(plan.stages.map((s) => s.phase)).toEqual(["init", "init", "final", "final"]);
    expect(plan.stages[0]!.script.toString()).toBe("#!/bin/sh\n'echo' 'it'\\''s'\n");
    expect(plan.notes).toEqual(["cloud-config keys not interpreted by the sim: packages"]);
  });

  it("inflates gzip and splits MIME multipart; scripts and runcmd run in file-name order", () => {
    const mime = [
      'Content-Type: multipart/mixed; boundary="XX"',
      "MIME-Version: 1.0",
      "",
      "--XX",
      'Content-Type: text/cloud-config; charset="us-ascii"',
      "",
      "runcmd: [ 'echo from-config' ]",
      "--XX",
      "Content-Type: text/x-shellscript",
      "Content-Transfer-Encoding: base64",
      'Content-Disposition: attachment; filename="zz-last.sh"',
      "",
      Buffer.from("#!/bin/sh\necho last\n").toString("base64"),
      "--XX",
      'Content-Type: text/x-shellscript; name="00-first.sh"',
      "",
      "#!/bin/sh",
      "echo first",
      "--XX--",
      "",
    ].join("\r\n");
    const plan = planUserData(gzipSync(Buffer.from(mime)));
    expect(plan.stages.map((s) => s.name)).toEqual(["00-first.sh", "runcmd", "zz-last.sh"]);
    expect(plan.stages[2]!.script.toString()).toBe("#!/bin/sh\necho last\n");
    expect(plan.stages[0]!.script.toString()).toBe("#!/bin/sh\r\necho first");
  });

  it("runs boothooks first, ignores formats it does not know, and has nothing to do for empty user-data", () => {
    expect(names("#cloud-boothook\necho early\n")).toEqual(["boothook-part-001"]);
    expect(planUserData(Buffer.from("#include\nhttp://127.0.0.1/x\n")).notes).toEqual([
      'part-001: unsupported user-data format: "#include"',
    ]);
    expect(planUserData(undefined).stages).toEqual([]);
    expect(planUserData(Buffer.alloc(0)).stages).toEqual([]);
  });

  it("names the cloud-config key it cannot use", () => {
    expect(() => parseCloudConfig("#cloud-config\nwrite_files:\n  - content: x\n")).toThrow(
      "write_files[0].path: expected an absolute path",
    );
    expect(() => parseCloudConfig("#cloud-config\nruncmd: echo\n")).toThrow("runcmd: expected a list");
    expect(() => parseCloudConfig("#cloud-config\nwrite_files: [{path: /a, permissions: rw}]\n")).toThrow(
      "write_files[0].permissions: expected octal, got rw",
    );
  });
});

describe("write_files script", () => {
  it("writes decoded content with its permissions and appends when asked (run by sh)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sim-write-files-"));
    try {
      const { writeFiles } = parseCloudConfig(`#cloud-config
write_files:
  - { path: ${dir}/new/dir/plain, content: "it's plain\\n", permissions: "0600" }
  - { path: ${dir}/b64, encoding: b64, content: ${Buffer.from("\u00e9t\u00e9\n").toString("base64")} }
  - { path: ${dir}/gz, encoding: gz+b64, content: ${gzipSync("zipped").toString("base64")} }
  - { path: ${dir}/new/dir/plain, content: "more\\n", append: true, permissions: "0640" }
`);
      await run(["/bin/sh", "-c", writeFilesScript(writeFiles)]);
      expect(await readFile(join(dir, "new/dir/plain"), "utf8")).toBe("it's plain\nmore\n");
      expect((await stat(join(dir, "new/dir/plain"))).mode & 0o777).toBe(0o640);
      expect(await readFile(join(dir, "b64"), "utf8")).toBe("\u00e9t\u00e9\n");
      expect((await stat(join(dir, "b64"))).mode & 0o777).toBe(0o644);
      expect(await readFile(join(dir, "gz"), "utf8")).toBe("zipped");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("metadata paths", () => {
  const view: ImdsView = {
    instanceId: "i-0abc",
    privateIp: "127.64.0.9",
    hostname: "ip-127-64-0-9.ec2.internal",
    data: {
      region: "eu-west-1",
      availabilityZone: "eu-west-1b",
      accountId: "123456789012",
      imageId: "ami-1",
      instanceType: "t3.small",
      mac: "0e:00:00:00:00:09",
      vpcId: "vpc-1",
      subnetId: "subnet-2",
      iamRole: { name: "app", accessKeyId: "AKIDSIM", secretAccessKey: "secret" },
    },
  };
  const now = new Date("2026-01-02T03:04:05.678Z");
  const get = (path: string) => resolveImds(view, path, now);

  it("lists directories with a trailing slash and tolerates repeated slashes", () => {
    expect(get("//latest/meta-data/placement/").body).toBe("availability-zone\nregion");
    expect(get("/latest/meta-data/network/interfaces/macs/").body).toBe("0e:00:00:00:00:09/");
    expect(get("/latest/meta-data/network/interfaces/macs/0e:00:00:00:00:09/subnet-id").body).toBe(
      "subnet-2",
    );
    expect(get("/latest/").body).toBe("dynamic/\nmeta-data/");
  });

  it("answers 404 for what the instance does not have", () => {
    expect(get("/latest/user-data").status).toBe(404);
    expect(get("/latest/meta-data/autoscaling/target-lifecycle-state").status).toBe(404);
    expect(get("/latest/meta-data/nope").status).toBe(404);
    expect(get("/2009-04-04/meta-data/").status).toBe(404);
  });

  it("serves credentials for the role and the identity document", () => {
    expect(get("/latest/meta-data/iam/security-credentials/").body).toBe("app");
    const creds = JSON.parse(String(get("/latest/meta-data/iam/security-credentials/app").body));
    expect(creds).toMatchObject({
      Code: "Success",
      AccessKeyId: "AKIDSIM",
      Token: "",
      Expiration: "2026-01-02T09:04:05Z",
    });
    const doc = JSON.parse(String(get("/latest/dynamic/instance-identity/document").body));
    expect(doc).toMatchObject({
      instanceId: "i-0abc",
      privateIp: "127.64.0.9",
      region: "eu-west-1",
      accountId: "123456789012",
    });
  });
});

describe("volumes and devices", () => {
  it("names the NVMe by-id link after the volume id without its dash", () => {
    expect(nvmeByIdPath("vol-0123abcd")).toBe("/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123abcd");
  });

  it("adds the sd/xvd twin of a device name and refuses names that are not block devices", () => {
    expect(deviceAliases("/dev/sdf")).toEqual(["/dev/sdf", "/dev/xvdf"]);
    expect(deviceAliases("/dev/xvdba")).toEqual(["/dev/xvdba", "/dev/sdba"]);
    expect(() => deviceAliases("/dev/null")).toThrow("invalid device name: /dev/null");
  });

  it("refuses a second attach of a volume and a device name in use, as EC2 does", () => {
    const t = new VolumeTable("i-1");
    t.add({ volumeId: "vol-1", deviceName: "/dev/sdf", imagePath: "/x", loopDevice: "", byIdPath: "" });
    expect(() => t.checkAttach("vol-1", "/dev/sdg")).toThrow(
      expect.objectContaining({ code: "VolumeInUse" }),
    );
    expect(() => t.checkAttach("vol-2", "/dev/xvdf")).toThrow(
      "i-1: Attachment point /dev/xvdf is already in use",
    );
    expect(() => t.get("vol-2")).toThrow(expect.objectContaining({ code: "IncorrectState" }));
  });
});

describe("mounts", () => {
  it("parses mountinfo, unescaping paths", () => {
    const [m] = parseMountinfo("36 35 7:3 / /mnt/with\\040space rw,relatime shared:1 - ext4 /dev/loop3 rw\n");
    expect(m).toEqual({
      majorMinor: "7:3",
      root: "/",
      mountPoint: "/mnt/with space",
      fsType: "ext4",
      source: "/dev/loop3",
      superOptions: "rw",
    });
  });

  it("keeps the machine's /dev/pts but gives the host its own /dev/shm, and keeps its state dir visible", () => {
    const l = hostLayout("/tmp/sim", "i-1");
    const machine = parseMountinfo(
      [
        "1 0 8:0 / / rw - ext4 /dev/vda rw",
        "2 1 0:5 / /dev rw - devtmpfs dev rw",
        "3 2 0:6 / /dev/pts rw - devpts devpts rw",
        "4 2 0:7 / /dev/shm rw - tmpfs shm rw",
      ].join("\n"),
    );
    const script = holderScript(
      l,
      "ip-127-0-0-9",
      machine,
      privateMounts(l, () => false),
    );
    expect(script).toContain("mount -n --rbind '/dev/pts'");
    expect(script).not.toContain("--rbind '/dev/shm'");
    expect(script).toContain("mount -n --bind '/tmp/sim/i-1' '/tmp/sim/i-1/staging/4/sim/i-1'");
    expect(script.indexOf("'/run'")).toBeLessThan(script.indexOf("'/dev'"));
  });

  it("keeps a working directory under /tmp visible in the host, once, outermost first", () => {
    const l = hostLayout("/tmp/ci/main/.sim-state/s1", "i-1");
    const tmp = { path: "/tmp", kind: "bind", source: l.tmpDir } as const;
    expect(keptVisible(tmp, l, "/tmp/ci/main")).toEqual(["/tmp/ci/main"]);
    expect(keptVisible(tmp, l, "/work/main")).toEqual([l.dir]);
    // Copy-on-write mounts show the machine's files already: only the state dir is bound there.
    expect(
      keptVisible({ path: "/root", kind: "overlay" }, hostLayout("/root/s", "i-1"), "/root/repo"),
    ).toEqual([hostLayout("/root/s", "i-1").dir]);
  });
});

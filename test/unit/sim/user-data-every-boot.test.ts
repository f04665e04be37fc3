// What a later boot of the same instance runs of its user-data: boothooks and bootcmd, which
// cloud-init runs on every boot; write_files, runcmd and scripts run once per instance.
import { describe, expect, it } from "vitest";
import { planUserData } from "../../../sim/hosts/user-data/plan.js";

const MIME = [
  'Content-Type: multipart/mixed; boundary="b"',
  "MIME-Version: 1.0",
  "",
  "--b",
  "Content-Type: text/cloud-boothook",
  "",
  "#cloud-boothook",
  "echo hook",
  "--b",
  "Content-Type: text/cloud-config",
  "",
  "#cloud-config",
  "bootcmd: [ echo boot ]",
  "write_files: [ { path: /etc/a, content: a } ]",
  "runcmd: [ echo run ]",
  "--b",
  'Content-Type: text/x-shellscript; name="setup.sh"',
  "",
  "#!/bin/sh",
  "echo setup",
  "--b--",
  "",
].join("\r\n");

const names = (opts: { everyBootOnly?: boolean }) =>
  planUserData(Buffer.from(MIME), opts).stages.map((s) => s.name);

describe("user-data plan of a later boot", () => {
  it("runs everything at the first boot", () => {
    expect(names({})).toEqual(["boothook-part-1", "bootcmd", "write_files", "runcmd", "setup.sh"]);
  });

  it("runs only the boothooks and bootcmd again", () => {
    expect(names({ everyBootOnly: true })).toEqual(["boothook-part-1", "bootcmd"]);
  });

  it("runs nothing again for a plain script", () => {
    expect(planUserData(Buffer.from("#!/bin/sh\necho once\n"), { everyBootOnly: true }).stages).toEqual([]);
  });
});

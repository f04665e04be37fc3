// The release server's systemd unit: valid for systemd, and it keeps the exit-code contract.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { unitWithStandIn } from "../support/systemd.js";

const run = promisify(execFile);
const unitFile = join(import.meta.dirname, "../../systemd/asg-release-server.service");
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe("systemd/asg-release-server.service", () => {
  it("passes systemd-analyze verify", async () => {
    const dir = await mkdtemp(join(tmpdir(), "server-unit-"));
    dirs.push(dir);
    const unit = await unitWithStandIn(dir, unitFile, "asg-release-server");
    const { stderr } = await run("systemd-analyze", ["verify", unit]);
    expect(stderr).toBe("");
  });

  it("restarts transient failures but not bad configuration (exit 2)", async () => {
    const unit = await readFile(unitFile, "utf8");
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
    expect(unit).toMatch(
      /^ExecStart=\/usr\/local\/bin\/asg-release-server --config \/etc\/asg-release\/server\.yaml/m,
    );
  });
});

// Boots that fail before the agent knows its instance, in the local region: an agent.yaml that does
// not validate, one that is not even YAML, and an identity document IMDS cannot give. Each instance
// is held by its group's launch hook; each failure still ABANDONs it (the group replaces it at once),
// unless the file says `lifecycle.complete: false`. The status file says why, readable by root only.
import { DescribeAutoScalingInstancesCommand } from "@aws-sdk/client-auto-scaling";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boot } from "../../agent/boot.js";
import { defaultHostPaths } from "../../agent/context.js";
import { reportConfigFailure } from "../../agent/early-abandon.js";
import { readStatus } from "../../agent/state.js";
import { createAwsClients } from "#shared/aws/clients.js";
import { createImds, IDENTITY_DOCUMENT_PATH, type Imds } from "#shared/aws/imds.js";
import { parseAgentConfig, loadAgentConfig } from "#shared/config/agent.js";
import { ConfigError } from "#shared/errors.js";
import { systemClock } from "#shared/poll.js";
import { run } from "#shared/proc/run.js";
import { captureLog } from "../support/log-lines.js";
import { waitFor } from "../support/autoscaling.js";
import { imdsFor, PROJECT } from "../support/agent.js";
import { useHookedGroup } from "../support/hooked-group.js";

const world = useHookedGroup({ size: 1, dirPrefix: "agent-early-abandon-" });

const makeAws = (region: string) =>
  createAwsClients({
    region,
    endpoint: world.sim.endpoint,
    credentials: world.sim.credentials,
    maxAttempts: 2,
  });

const lifecycleState = async (instanceId: string) =>
  (await world.aws.autoscaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] })))
    .AutoScalingInstances?.[0]?.LifecycleState;

const leaves = (instanceId: string) =>
  waitFor(
    () => lifecycleState(instanceId),
    (s) => s === undefined || s.startsWith("Terminat"),
    `${instanceId} to leave after ABANDON`,
  );

/** The agent's start with `text` as its agent.yaml, as `asg-release-agent boot` runs it. */
async function startWith(name: string, text: string, imds: Imds) {
  const dir = join(world.dir, name);
  await mkdir(dir, { recursive: true });
  const file = join(dir, "agent.yaml");
  await writeFile(file, text.replaceAll("@DIR@", dir));
  const err = await loadAgentConfig(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  const { lines, log } = captureLog();
  await reportConfigFailure({ file, err, imds, makeAws, log, run, now: () => new Date() });
  return { lines, statusFile: join(dir, "status.json") };
}

describe("a configuration that does not load", () => {
  it("still ABANDONs the launch hook, found from the instance's group, and says why in a 0600 status file", async () => {
    const instanceId = await world.waitingInstance();
    const imds = await imdsFor(world.sim, world.aws, instanceId);
    try {
      const out = await startWith(
        "invalid",
        `project: ${PROJECT}
pointer: { url: "http://127.0.0.1:1" }
container: { image: "{{image_id}}", cli: podman }
status_file: @DIR@/status.json
`,
        createImds({ endpoint: imds.endpoint }),
      );
      const status = await readStatus(out.statusFile);
      expect(status).toMatchObject({ state: "failed", step: "config", lifecycle: "ABANDON", exitCode: 2 });
      expect(status?.reason).toContain("{{image_id}} was not replaced");
      expect((await stat(out.statusFile)).mode & 0o777).toBe(0o600);
      expect(out.lines.find((l) => l.msg === "boot failed")).toMatchObject({
        step: "config",
        lifecycle: "ABANDON",
      });
      await leaves(instanceId);
    } finally {
      await imds.close();
    }
  });

  it("ABANDONs even when the file is not YAML at all", async () => {
    const instanceId = await world.waitingInstance();
    const imds = await imdsFor(world.sim, world.aws, instanceId);
    try {
      await startWith("garbage", "project: [unclosed\n  : : :\n", createImds({ endpoint: imds.endpoint }));
      await leaves(instanceId);
    } finally {
      await imds.close();
    }
  });

  it("takes the hook's name from the file when it is there, and leaves the hook alone with lifecycle.complete: false", async () => {
    const instanceId = await world.waitingInstance();
    const imds = await imdsFor(world.sim, world.aws, instanceId);
    try {
      const left = await startWith(
        "no-complete",
        `project: ${PROJECT}
lifecycle: { complete: false }
status_file: @DIR@/status.json
`,
        createImds({ endpoint: imds.endpoint }),
      );
      expect(await readStatus(left.statusFile)).toMatchObject({ step: "config", lifecycle: "none" });
      expect(await lifecycleState(instanceId)).toBe("Pending:Wait");

      const named = await startWith(
        "named-hook",
        `project: ${PROJECT}
lifecycle: { hook: ready }
status_file: @DIR@/status.json
`,
        createImds({ endpoint: imds.endpoint }),
      );
      expect(await readStatus(named.statusFile)).toMatchObject({ lifecycle: "ABANDON" });
      await leaves(instanceId);
    } finally {
      await imds.close();
    }
  });
});

describe("an identity document IMDS cannot give", () => {
  it("ABANDONs the hook with the instance id and region from the metadata paths", async () => {
    const instanceId = await world.waitingInstance();
    const imds = await imdsFor(world.sim, world.aws, instanceId);
    try {
      const real = createImds({ endpoint: imds.endpoint });
      const broken: Imds = {
        request: (path, options) =>
          path === IDENTITY_DOCUMENT_PATH
            ? // As the SDK fails on an HTTP error: IMDS answers, but not with the document.
              Promise.reject(Object.assign(new Error("status 404"), { $metadata: { httpStatusCode: 404 } }))
            : real.request(path, options),
      };
      const statusFile = join(world.dir, "identity", "status.json");
      const config = parseAgentConfig(
        "agent.yaml",
        `project: ${PROJECT}
pointer: { url: "http://127.0.0.1:1" }
container: { image: "127.0.0.1:1/none:1", cli: podman }
readiness: { check: { tcp: { port: 1 } } }
status_file: ${statusFile}
fstab_file: ${join(world.dir, "identity", "fstab")}
`,
      );
      const { log } = captureLog();
      const err = await boot(
        { config, log, run, clock: systemClock, paths: defaultHostPaths },
        { imds: broken, makeAws },
      ).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toContain("cannot read the instance identity document");
      expect(await readStatus(statusFile)).toMatchObject({
        state: "failed",
        step: "identity",
        lifecycle: "ABANDON",
      });
      await leaves(instanceId);
    } finally {
      await imds.close();
    }
  });
});

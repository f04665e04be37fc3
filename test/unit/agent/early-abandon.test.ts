import { describe, expect, it } from "vitest";
import { configHints, whoAmI } from "../../../agent/early-abandon.js";
import type { Imds } from "#shared/aws/imds.js";

describe("configHints", () => {
  it("takes the hook, complete, region and status file from a file that does not validate", () => {
    expect(
      configHints(`project: 7
lifecycle: { hook: release-ready, complete: true }
region: eu-west-1
status_file: /run/x/status.json
container: {}
`),
    ).toEqual({
      hook: "release-ready",
      complete: true,
      region: "eu-west-1",
      statusFile: "/run/x/status.json",
    });
  });

  it("falls back to finding the hook and the default status file for what is missing or malformed", () => {
    const none = { complete: true, statusFile: "/run/asg-release/status.json" };
    expect(configHints(undefined)).toEqual(none);
    expect(configHints("project: [unclosed\n : :")).toEqual(none);
    expect(configHints("- a list\n")).toEqual(none);
    expect(configHints("lifecycle: { hook: 3 }\nregion: nowhere\nstatus_file: relative.json\n")).toEqual(
      none,
    );
  });

  it("respects lifecycle.complete: false", () => {
    expect(configHints("lifecycle: { complete: false }\n").complete).toBe(false);
  });
});

describe("whoAmI", () => {
  /** Answers `answers`, 404 to any other path; or nothing at all, as a host without IMDS. */
  const imds = (answers: Record<string, string>, reachable = true): Imds => ({
    request: async (path) => {
      if (!reachable) throw new Error("connect ECONNREFUSED 169.254.169.254:80");
      const a = answers[path];
      if (a === undefined)
        throw Object.assign(new Error(`404 ${path}`), { $metadata: { httpStatusCode: 404 } });
      return a;
    },
  });

  it("reads the identity document", async () => {
    const doc = JSON.stringify({
      instanceId: "i-0123456789abcdef0",
      region: "us-east-1",
      availabilityZone: "us-east-1a",
      accountId: "123456789012",
    });
    expect(await whoAmI(imds({ "/latest/dynamic/instance-identity/document": doc }))).toEqual({
      instanceId: "i-0123456789abcdef0",
      region: "us-east-1",
    });
  });

  it("falls back to the metadata paths, and fails as the document did when they do not answer", async () => {
    expect(
      await whoAmI(
        imds({
          "/latest/meta-data/instance-id": "i-0123456789abcdef0\n",
          "/latest/meta-data/placement/region": "eu-central-1",
        }),
      ),
    ).toEqual({ instanceId: "i-0123456789abcdef0", region: "eu-central-1" });
    await expect(whoAmI(imds({}))).rejects.toThrow("cannot read the instance identity document");
  });

  it("goes straight to the metadata paths when the document failed already", async () => {
    const asked: string[] = [];
    const answers = imds({
      "/latest/meta-data/instance-id": "i-0123456789abcdef0",
      "/latest/meta-data/placement/region": "us-west-2",
    });
    const recording: Imds = { request: (p, o) => (asked.push(p), answers.request(p, o)) };
    const failed = new Error("step failed", {
      cause: Object.assign(new Error("404"), { $metadata: { httpStatusCode: 404 } }),
    });
    expect(await whoAmI(recording, failed)).toEqual({
      instanceId: "i-0123456789abcdef0",
      region: "us-west-2",
    });
    expect(asked).toEqual(["/latest/meta-data/instance-id", "/latest/meta-data/placement/region"]);
  });

  it("does not ask again when IMDS does not answer at all", async () => {
    let calls = 0;
    const down = imds({}, false);
    const counting: Imds = { request: (p, o) => (calls++, down.request(p, o)) };
    await expect(whoAmI(counting)).rejects.toThrow("ECONNREFUSED");
    expect(calls).toBe(1);
  });
});

import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseRegistry } from "../../../cli/sim.js";
import { exportLines, simEnv } from "../../../cli/sim-env.js";
import { SIM_CREDENTIALS } from "../../../sim/index.js";

describe("sim export lines", () => {
  it("carry the region's endpoint, region and fixed credentials", () => {
    expect(exportLines(simEnv("http://127.0.0.1:4599"))).toBe(
      [
        "export AWS_ENDPOINT_URL=http://127.0.0.1:4599",
        "export AWS_REGION=us-east-1",
        "export AWS_DEFAULT_REGION=us-east-1",
        "export AWS_ACCESS_KEY_ID=AKIASIMLOCALREGION01",
        "export AWS_SECRET_ACCESS_KEY=sim-local-region-secret-key",
        "",
      ].join("\n"),
    );
    expect(simEnv("http://x").AWS_ACCESS_KEY_ID).toBe(SIM_CREDENTIALS.accessKeyId);
    expect(simEnv("http://x").AWS_SECRET_ACCESS_KEY).toBe(SIM_CREDENTIALS.secretAccessKey);
  });

  it("quote what a shell would split, and eval back to the same values", () => {
    const env = { A: "it's a b", B: "plain" };
    const lines = exportLines(env);
    expect(lines).toBe("export A='it'\\''s a b'\nexport B=plain\n");
    const out = execFileSync("sh", ["-c", `${lines}printf '%s|%s' "$A" "$B"`], { encoding: "utf8" });
    expect(out).toBe("it's a b|plain");
  });
});

describe("--insecure-registry", () => {
  it("takes HOST:PORT or NAME=HOST:PORT", () => {
    expect(parseRegistry("127.0.0.1:5000")).toBe("127.0.0.1:5000");
    expect(parseRegistry("docker.io=127.0.0.1:5000")).toBe("docker.io=127.0.0.1:5000");
    expect(() => parseRegistry("127.0.0.1")).toThrow("expected HOST:PORT or NAME=HOST:PORT");
    expect(() => parseRegistry("http://127.0.0.1:5000")).toThrow("expected HOST:PORT");
  });
});

import { describe, expect, it } from "vitest";
import {
  desiredSpec,
  imageToRun,
  isCurrent,
  SPEC_LABEL,
  VOLUME_LABEL,
} from "../../../../agent/steps/container.js";
import type { AgentContext } from "../../../../agent/context.js";
import { parseAgentConfig } from "#shared/config/agent.js";

const DIGEST = `sha256:${"e".repeat(64)}`;
const ctxWith = (image: string, extra = ""): AgentContext =>
  ({
    config: parseAgentConfig(
      "agent.yaml",
      `project: shop
pointer: { url: "http://127.0.0.1:8080" }
container:
  image: ${image}
  cli: podman
  ports: ["8081:80"]
  env: { MODE: prod }
${extra}readiness:
  check: { tcp: { port: 8081 } }
`,
    ),
  }) as AgentContext;

describe("imageToRun", () => {
  it.each([
    ["127.0.0.1:5099/demo/hello:1", undefined, "127.0.0.1:5099/demo/hello:1"],
    ["127.0.0.1:5099/demo/hello:1", DIGEST, `127.0.0.1:5099/demo/hello@${DIGEST}`],
    [`r.example/app@sha256:${"f".repeat(64)}`, DIGEST, `r.example/app@sha256:${"f".repeat(64)}`],
    ["nginx:1.27", DIGEST, `nginx@${DIGEST}`],
  ])("%s with digest %s -> %s", (image, digest, want) => expect(imageToRun(image, digest)).toBe(want));
});

describe("desiredSpec", () => {
  const input = { volumeId: "vol-1", releaseId: "r1" };

  it("mounts the release read-only and labels the container with its spec and volume", () => {
    const spec = desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1"), input);
    expect(spec.volumes).toEqual(["/release:/release:ro"]);
    expect(spec.restart).toBe("unless-stopped");
    expect(spec.labels[VOLUME_LABEL]).toBe("vol-1");
    expect(spec.labels[SPEC_LABEL]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("gives the same hash for the same settings and another for another image or setting", () => {
    const a = desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1"), input).labels[SPEC_LABEL];
    expect(desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1"), input).labels[SPEC_LABEL]).toBe(a);
    expect(desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:2"), input).labels[SPEC_LABEL]).not.toBe(a);
    expect(
      desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1", "  network_host: true\n"), input).labels[SPEC_LABEL],
    ).not.toBe(a);
  });

  it("keeps a container only with the same spec on the same release volume", () => {
    const spec = desiredSpec(ctxWith("127.0.0.1:5099/demo/hello:1"), input);
    const state = {
      id: "c",
      name: "app",
      running: true,
      status: "running",
      imageRef: spec.image,
      imageId: "sha256:1",
      labels: { ...spec.labels },
    };
    expect(isCurrent(state, spec)).toBe(true);
    expect(isCurrent({ ...state, labels: { ...spec.labels, [VOLUME_LABEL]: "vol-0" } }, spec)).toBe(false);
    expect(isCurrent({ ...state, labels: {} }, spec)).toBe(false);
  });
});

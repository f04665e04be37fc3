import { describe, expect, it } from "vitest";
import { parseAgentConfig } from "#shared/config/agent.js";
import { ConfigError, formatIssue } from "#shared/errors.js";
import { generateSigningKeyPair } from "#shared/release/pointer-signature.js";

const minimal = `project: shop
pointer:
  url: http://127.0.0.1:8080
container:
  image: 127.0.0.1:5099/demo/hello:1
readiness:
  check:
    http: { url: "http://127.0.0.1:8081/" }
`;

const issuesOf = (text: string): string[] => {
  try {
    parseAgentConfig("agent.yaml", text);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map(formatIssue);
    throw err;
  }
  throw new Error("expected a ConfigError");
};

describe("agent config", () => {
  it("fills the defaults of a minimal file", () => {
    const c = parseAgentConfig("agent.yaml", minimal);
    expect(c.mount).toEqual({
      path: "/release",
      read_only: true,
      nodev: true,
      nosuid: true,
      options: [],
      fstab: true,
    });
    expect(c.volume).toEqual({ type: "gp3", timeout: 300 });
    expect(c.container).toMatchObject({ cli: "docker", name: "app", restart: "unless-stopped" });
    expect(c.readiness).toMatchObject({ timeout: 300, attempt_timeout: 5, interval: 1 });
    expect(c.lifecycle).toEqual({ complete: true });
    expect(c.status_file).toBe("/run/asg-release/status.json");
  });

  it("refuses an image placeholder that was not substituted", () => {
    expect(issuesOf(minimal.replace("127.0.0.1:5099/demo/hello:1", '"{{image_id}}"'))).toEqual([
      "agent.yaml:5:10: container.image: {{image_id}} was not replaced with the component's image",
    ]);
  });

  it("refuses env that an env file cannot carry", () => {
    const text = minimal.replace(
      "  image: 127.0.0.1:5099/demo/hello:1\n",
      '  image: 127.0.0.1:5099/demo/hello:1\n  env: { GOOD: "a b=c", MULTI: "a\\nb", "BAD NAME": x }\n',
    );
    expect(issuesOf(text)).toEqual([
      expect.stringMatching(
        /^agent\.yaml:\d+:\d+: container\.env\.MULTI: expected a value on one line \(no newline/,
      ),
      'agent.yaml:6:52: container.env["BAD NAME"]: expected a name with no spaces or `=`, not starting with `#`',
    ]);
  });

  it("takes a pointer public key as base64 or PEM, and the trust of an https url", () => {
    const pair = generateSigningKeyPair();
    const pem = pair.publicPem.trim().replace(/\n/g, "\n      ");
    const c = parseAgentConfig(
      "agent.yaml",
      minimal.replace(
        "  url: http://127.0.0.1:8080\n",
        `  url: https://127.0.0.1:8443\n  public_key: "${pair.publicRaw}"\n  tls: { fingerprint: "${"AB:".repeat(31)}AB" }\n`,
      ),
    );
    expect(c.pointer).toMatchObject({
      public_key: pair.publicRaw,
      tls: { fingerprint: `${"AB:".repeat(31)}AB` },
    });
    const withPem = parseAgentConfig(
      "agent.yaml",
      minimal.replace(
        "  url: http://127.0.0.1:8080\n",
        `  url: http://127.0.0.1:8080\n  public_key: |\n      ${pem}\n`,
      ),
    );
    expect(withPem.pointer.public_key).toContain("BEGIN PUBLIC KEY");
  });

  it("refuses a public key that is not Ed25519, and tls settings for a plain-http url", () => {
    expect(
      issuesOf(
        minimal.replace(
          "  url: http://127.0.0.1:8080\n",
          "  url: http://127.0.0.1:8080\n  public_key: abc\n",
        ),
      ),
    ).toEqual([
      "agent.yaml:4:15: pointer.public_key: the value is not an Ed25519 key: expected PEM or the base64 of 32 bytes",
    ]);
    expect(
      issuesOf(
        minimal.replace(
          "  url: http://127.0.0.1:8080\n",
          "  url: http://127.0.0.1:8080\n  tls: { ca_file: /etc/ca.pem }\n",
        ),
      ),
    ).toEqual(["agent.yaml:4:8: pointer.tls: `tls` is set but `url` is not https"]);
  });

  it("reports every problem with its position", () => {
    const text = `project: shop
pointer: {}
volume: {type: gp2, throughput: 200, sise: 3}
container:
  image: "not an image"
  cli: dockr
readiness:
  check: {htp: {}}
`;
    expect(issuesOf(text)).toEqual([
      "agent.yaml:2:10: pointer: expected `url` (the release server) or `s3` (a pointer object), got neither",
      "agent.yaml:3:21: volume.throughput: only gp3 volumes take a throughput",
      'agent.yaml:3:38: volume.sise: unknown key; did you mean "size"?',
      expect.stringMatching(/^agent\.yaml:5:10: container\.image: expected an image reference: /),
      'agent.yaml:6:8: container.cli: expected one of "docker" or "podman", got "dockr"; did you mean "docker"?',
      "agent.yaml:8:10: readiness.check: expected one of `http`, `tcp` or `command`, got a mapping",
    ]);
  });

  it("reports a missing file as an issue", () => {
    expect(() => parseAgentConfig("agent.yaml", "")).toThrow(ConfigError);
  });
});

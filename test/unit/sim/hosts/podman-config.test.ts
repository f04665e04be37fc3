// The hosts' registries.conf: loopback registries over plain HTTP, and a loopback registry standing
// in for a named one (an image named public.ecr.aws/... pulled from a local registry).
import { describe, expect, it } from "vitest";
import { insecureRegistriesConf } from "../../../../sim/hosts/full/podman-config.js";

describe("insecureRegistriesConf", () => {
  it("writes one plain-HTTP entry per registry, with a prefix for NAME=host:port", () => {
    expect(insecureRegistriesConf(["127.0.0.1:5000", "public.ecr.aws=127.0.0.1:5001"])).toBe(
      [
        "# Registries on loopback serve plain HTTP.",
        "[[registry]]",
        'location = "127.0.0.1:5000"',
        "insecure = true",
        "",
        "[[registry]]",
        'prefix = "public.ecr.aws"',
        'location = "127.0.0.1:5001"',
        "insecure = true",
        "",
      ].join("\n"),
    );
  });
});

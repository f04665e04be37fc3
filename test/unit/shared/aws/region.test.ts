// docs/spec/deploy.md#region: the setting, then the AWS CLI's environment variable, then ~/.aws/config,
// then us-east-1. Each case reads a config file of its own (AWS_CONFIG_FILE), never the real ~/.aws.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveRegion } from "#shared/aws/clients.js";

const dir = mkdtempSync(join(tmpdir(), "region-"));
let files = 0;

/** An environment whose AWS config file holds `text` (or does not exist). */
function withConfig(text: string | undefined, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base = join(dir, `config-${++files}`);
  if (text !== undefined) writeFileSync(base, text);
  return { AWS_CONFIG_FILE: base, AWS_SHARED_CREDENTIALS_FILE: `${base}.credentials`, ...env };
}

describe("region (docs/spec/deploy.md#region)", () => {
  it('"if this setting is present, it defines the AWS API region to connect to"', async () => {
    const env = withConfig("[default]\nregion = eu-west-2\n", { AWS_DEFAULT_REGION: "ap-south-1" });
    expect(await resolveRegion("ca-central-1", env)).toEqual({ region: "ca-central-1", source: "setting" });
  });

  it('"If not set, ec2-asg will use the AWS CLI configuration to find the region: either an environment variable (AWS_DEFAULT_REGION)"', async () => {
    const env = withConfig("[default]\nregion = eu-west-2\n", { AWS_DEFAULT_REGION: "ap-south-1" });
    expect(await resolveRegion(undefined, env)).toEqual({
      region: "ap-south-1",
      source: "AWS_DEFAULT_REGION",
    });
  });

  it("AWS_REGION, the variable the SDK itself reads, comes before AWS_DEFAULT_REGION", async () => {
    const env = withConfig(undefined, { AWS_REGION: "eu-north-1", AWS_DEFAULT_REGION: "ap-south-1" });
    expect(await resolveRegion(undefined, env)).toEqual({ region: "eu-north-1", source: "AWS_REGION" });
  });

  it('"or a setting in the ~/.aws/config file"', async () => {
    const env = withConfig("[default]\nregion = eu-west-2\n");
    expect(await resolveRegion(undefined, env)).toEqual({ region: "eu-west-2", source: "config file" });
  });

  it("the config file's profile is the one AWS_PROFILE names", async () => {
    const env = withConfig("[default]\nregion = eu-west-2\n[profile staging]\nregion = sa-east-1\n", {
      AWS_PROFILE: "staging",
    });
    expect(await resolveRegion(undefined, env)).toEqual({ region: "sa-east-1", source: "config file" });
  });

  it("\"If no setting for the region found, ec2-asg will connect to the AWS default 'us-east-1' region\"", async () => {
    expect(await resolveRegion(undefined, withConfig(undefined))).toEqual({
      region: "us-east-1",
      source: "default",
    });
    expect(await resolveRegion(undefined, withConfig("[default]\noutput = json\n"))).toEqual({
      region: "us-east-1",
      source: "default",
    });
  });
});

// docs/spec/deploy.md#same-image-reconfigure: a replacement with the same image reuses the running launch
// settings, so a new configuration cannot be installed that way; --reconfigure
// (docs/spec/deploy.md#diff-reconfigure) lifts that for the components being replaced. In the local region:
// the env's instance type changes, --replace-all alone keeps the old one (and says so), --replace-all
// --reconfigure launches the new one.
import { DescribeLaunchTemplateVersionsCommand } from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { envYaml, groups, modelYaml, run, useDeployWorld } from "../support/deploy.js";

const world = useDeployWorld((w) => ({
  "env.yaml": envYaml(w),
  "env-large.yaml": envYaml(w).replace("type: t3.micro", "type: t3.large"),
  "v1.yaml": modelYaml({ front: { image: "reg/front:1", replicas: 1 } }),
}));

/** The instance type of the launch template of the project's one group, and the group's name. */
async function running(): Promise<[string, string | undefined]> {
  const [g] = await groups(world.aws);
  const out = await world.aws.ec2.send(
    new DescribeLaunchTemplateVersionsCommand({
      LaunchTemplateId: g!.LaunchTemplate!.LaunchTemplateId!,
      Versions: ["$Default"],
    }),
  );
  return [g!.AutoScalingGroupName!, out.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.InstanceType];
}

describe("--reconfigure", () => {
  it("is refused without --replace-all or --force-replace, before anything is read or changed", async () => {
    const r = await run(world, { env: "env-large.yaml", model: "v1.yaml", reconfigure: true });
    expect(r.error?.exitCode).toBe(2);
    expect(r.error?.message).toMatch(/--reconfigure .* add --replace-all or --force-replace COMPONENT/);
    expect(await groups(world.aws)).toEqual([]);
  });

  it("re-installs with the environment's launch settings, where --replace-all alone keeps the running ones", async () => {
    expect((await run(world, { model: "v1.yaml" })).error?.message).toBeUndefined();
    expect(await running()).toEqual(["shop.front_A", "t3.micro"]);

    const kept = await run(world, { env: "env-large.yaml", model: "v1.yaml", replaceAll: true });
    expect(kept.error?.message).toBeUndefined();
    expect(kept.out).toMatch(/add --reconfigure to apply the environment's launch settings/);
    expect(await running()).toEqual(["shop.front_B", "t3.micro"]);

    const r = await run(world, {
      env: "env-large.yaml",
      model: "v1.yaml",
      replaceAll: true,
      reconfigure: true,
    });
    expect(r.error?.message).toBeUndefined();
    expect(r.out).toMatch(/--reconfigure: the environment's launch settings, not the running ones/);
    expect(r.out).not.toMatch(/reuses the launch settings/);
    expect(await running()).toEqual(["shop.front_A", "t3.large"]);
  });
});

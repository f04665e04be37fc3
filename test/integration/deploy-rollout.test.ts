// Rollout controls in the local region: an upgrade in batches of one with a bake after each; an
// instance of the second batch turns unhealthy during its bake, so the deploy rolls back: the new
// slot is torn down, the old one (never detached) keeps serving, and the run fails with the reason.
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { expect, it } from "vitest";
import { plainProgress, type Progress } from "../../release-server/deploy/progress.js";
import { envYaml, groups, modelYaml, run, useDeployWorld } from "../support/deploy.js";
import { Writable } from "node:stream";

const world = useDeployWorld((w) => ({
  "env.yaml": envYaml(w, "rollout: {batch_size: 1, bake_time: 6}\n"),
  "v1.yaml": modelYaml({ front: { image: "reg/front:1", replicas: 2 } }),
  "v2.yaml": modelYaml({ front: { image: "reg/front:2", replicas: 2 } }),
}));

const members = async (name: string) =>
  (await groups(world.aws))
    .find((g) => g.AutoScalingGroupName === name)
    ?.Instances?.map((i) => i.InstanceId!) ?? [];

/** Plain progress that, when the bake of the second batch starts, makes its new member unhealthy. */
function sickenSecondBatch(lines: string[]): Progress {
  let firstBatch: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const plain = plainProgress(sink);
  return {
    run: (changes, step) =>
      plain.run(changes, (change, report) =>
        step(change, (text) => {
          report(text);
          if (/\] bake shop\.front_B .* 1 of 1 /.test(text))
            void members("shop.front_B").then((m) => (firstBatch = m));
          if (/\] bake shop\.front_B .* 2 of 2 /.test(text)) {
            void members("shop.front_B").then(async (m) => {
              const second = m.find((id) => !firstBatch.includes(id))!;
              await fetch(`${world.sim.endpoint}/_sim/health/override`, {
                method: "PUT",
                body: JSON.stringify({ instanceId: second, healthy: false }),
              });
            });
          }
        }),
      ),
  };
}

it("rolls back when an instance of the second batch turns unhealthy during the bake", async () => {
  const first = await run(world, { model: "v1.yaml" });
  expect(first.error?.message).toBeUndefined();
  expect(first.progress).toMatch(/bake shop\.front_A for 6 s/);
  const serving = (await members("shop.front_A")).sort();

  const lines: string[] = [];
  const r = await run(world, { model: "v2.yaml" }, { progress: sickenSecondBatch(lines) });
  expect(r.ok).toBe(false);
  expect(r.error?.exitCode).toBe(1);
  expect(r.error?.message).toMatch(
    /^front: bake shop\.front_B for 6 s, .*: shop\.front_B: health failed during the bake: 1 of 2 healthy, 2 needed: i-[0-9a-f]+: target group tg-web: unhealthy/,
  );
  expect(r.error?.message).toMatch(
    /rolled back: the new slot was torn down and the previous one is still serving$/,
  );
  expect(lines.join("")).toMatch(/\] set shop\.front_B to 2 instance/);

  const after = await groups(world.aws);
  expect(after.map((g) => g.AutoScalingGroupName)).toEqual(["shop.front_A"]);
  expect(after[0]!.TargetGroupARNs).toEqual([world.tgArn]);
  const health = await world.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: world.tgArn }));
  expect(
    (health.TargetHealthDescriptions ?? [])
      .filter((d) => d.TargetHealth?.State === "healthy")
      .map((d) => d.Target!.Id)
      .sort(),
  ).toEqual(serving);
});

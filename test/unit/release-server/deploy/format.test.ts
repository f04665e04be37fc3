// The plan as people read it, and as data.
import { expect, it } from "vitest";
import { formatPlan } from "../../../../release-server/deploy/format.js";
import {
  baseEnv,
  env,
  group,
  lbs,
  model,
  observed,
  plan,
  request,
  tgArn,
} from "../../../support/deploy-fixtures.js";

it("prints one numbered line per action with its reason, what happens on failure, then warnings and problems", () => {
  const o = observed({
    groups: [
      group("shop.front_A", { imageId: "reg/front:1", targetGroupArns: [tgArn] }),
      group("shop.front_C", { imageId: "reg/front:0", managed: false }),
    ],
    lbs: lbs(),
  });
  const p = plan(
    request(
      env(`${baseEnv}rollout: {bake_time: 30}\n`),
      model({ front: "reg/front:2" }, "  web: {type: load_balancer, target: [front]}"),
    ),
    o,
  );
  expect(formatPlan(p)).toBe(
    [
      "Deploy plan for project shop in us-east-1: 1 change",
      "",
      "front: upgrade: image reg/front:1 -> reg/front:2: slot B, 2 replicas",
      "  1. create launch template shop.front_B (ami-0123456789abcdef0, t3.micro, sg-0123, user_data 15 bytes): no running instance of front has image reg/front:2",
      "  2. create group shop.front_B from launch template shop.front_B: 2 instance(s) in subnet-0a, subnet-0b, launch hook asg-release-launch: slot B runs reg/front:2",
      "  3. attach shop.front_B to target group tg-web: instances register as they go InService; unhealthy ones get no traffic",
      "  4. wait for 2 instance(s) of shop.front_B: running within 50 s, then healthy in target group tg-web within 360 s: only healthy instances count as deployed (lb_wait_join)",
      "  5. bake shop.front_B for 30 s, watching that 2 of 2 instance(s) stay healthy in target group tg-web: rollout.bake_time: health is watched before the switch; a failure rolls back",
      "  6. detach shop.front_A from target group tg-web: replaced by shop.front_B (reg/front:2)",
      "  7. wait up to 65 s for shop.front_A's members to drain from target group tg-web: members leave the load balancers only after the deregistration delay",
      "  8. delete group shop.front_A (terminates its instances): replaced by shop.front_B (reg/front:2)",
      "  9. wait up to 600 s for shop.front_A to be gone: its members terminate first",
      "  10. delete the release volumes shop.front_A's instances left behind: an instance terminated while its agent was attaching its release volume leaves it behind",
      "  if the new instances do not become or stay healthy (rollback):",
      "     - detach shop.front_B from target group tg-web",
      "     - delete group shop.front_B (terminates its instances)",
      "     - wait up to 600 s for shop.front_B to be gone",
      "     - delete the release volumes shop.front_B's instances left behind",
      "     - delete launch template shop.front_B",
      "",
      "warning: shop.front_C is named like a slot of front but has no skopos:project=shop tag: left alone",
    ].join("\n"),
  );
  // --json is the same plan as data, with nothing lost.
  expect(JSON.parse(JSON.stringify(p))).toEqual(p);
});

it("prints a launch hook change: put (deleting a renamed one), or delete when turned off", () => {
  const running = (tags: Record<string, string>) =>
    observed({ groups: [group("shop.front_A", { imageId: "reg/front:1", tags })] });
  const text = (settings: string, tags: Record<string, string>) =>
    formatPlan(
      plan(
        request(env(`${baseEnv}lifecycle_hook: ${settings}\n`), model({ front: "reg/front:1" })),
        running(tags),
      ),
    ).split("\n");
  expect(text("{name: boot-ready, heartbeat_timeout: 60}", {}).slice(2)).toEqual([
    "front: configure: launch hook boot-ready (60 s, CONTINUE)",
    "  1. put launch hook boot-ready on shop.front_A (heartbeat 60 s, default CONTINUE), delete asg-release-launch: lifecycle_hook changed: asg-release-launch (600 s, CONTINUE) -> boot-ready (60 s, CONTINUE)",
  ]);
  expect(text("{enabled: false}", {}).slice(2)).toEqual([
    "front: configure: launch hook off (asg-release-launch deleted)",
    "  1. delete launch hook asg-release-launch from shop.front_A: lifecycle_hook changed: asg-release-launch (600 s, CONTINUE) -> off",
  ]);
});

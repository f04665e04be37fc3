// The launch lifecycle hook of existing groups: every managed group gets the hook the boot agent
// completes, as lifecycle_hook says, known from the group's record tag (skopos:lifecycle_hook).
import { describe, expect, it } from "vitest";
import type {
  ActionKind,
  ActionOf,
  LifecycleHookSpec,
  Plan,
} from "../../../../../release-server/deploy/actions.js";
import { hookRecord, parseHookRecord } from "../../../../../release-server/deploy/plan/hook.js";
import {
  baseEnv,
  env,
  group,
  model,
  observed,
  outline,
  plan,
  request,
} from "../../../../support/deploy-fixtures.js";

const find = <K extends ActionKind>(p: Plan, kind: K): ActionOf<K>[] =>
  p.changes.flatMap((c) => c.actions).filter((a): a is ActionOf<K> => a.kind === kind);

const hookEnv = (settings: string) => env(`${baseEnv}lifecycle_hook: ${settings}\n`);
const key = "skopos:lifecycle_hook";
/** The running group with `tags` over the default record, or with no record at all. */
const running = (tags: Record<string, string> | "no record") => {
  const g = group("shop.front_A", { imageId: "reg/front:1", ...(tags === "no record" ? {} : { tags }) });
  if (tags === "no record") delete g.tags[key];
  return observed({ groups: [g] });
};
const front = (replicas = 2) => model({ front: { image: "reg/front:1", replicas } });

describe("the launch hook of an existing group", () => {
  it("hook on and no record (a group made by an earlier version): the hook is put once, then recorded", () => {
    const p = plan(request(env(baseEnv), front()), running("no record"));
    expect(outline(p)).toEqual(["front configure: ensureLifecycleHook shop.front_A"]);
    expect(find(p, "ensureLifecycleHook")).toEqual([
      {
        kind: "ensureLifecycleHook",
        component: "front",
        group: "shop.front_A",
        hook: { name: "asg-release-launch", heartbeatTimeout: 600, defaultResult: "CONTINUE" },
        remove: [],
        tag: { key, value: "asg-release-launch;600;CONTINUE" },
        reason:
          "shop.front_A has no skopos:lifecycle_hook tag (made by an earlier version): the launch hook is put once",
      },
    ]);
    expect(p.changes[0]?.reason).toBe("launch hook asg-release-launch (600 s, CONTINUE)");
  });

  it("settings changed: the hook is put with the new ones", () => {
    const p = plan(
      request(hookEnv("{heartbeat_timeout: 60, default_result: ABANDON}"), front()),
      running({}),
    );
    const [a] = find(p, "ensureLifecycleHook");
    expect(a).toMatchObject({
      hook: { name: "asg-release-launch", heartbeatTimeout: 60, defaultResult: "ABANDON" },
      remove: [],
      tag: { key, value: "asg-release-launch;60;ABANDON" },
      reason:
        "lifecycle_hook changed: asg-release-launch (600 s, CONTINUE) -> asg-release-launch (60 s, ABANDON)",
    });
  });

  it("hook turned on where it was off: put", () => {
    const p = plan(request(env(baseEnv), front()), running({ [key]: "off" }));
    expect(find(p, "ensureLifecycleHook")[0]).toMatchObject({
      hook: { name: "asg-release-launch" },
      remove: [],
      reason: "lifecycle_hook changed: off -> asg-release-launch (600 s, CONTINUE)",
    });
  });

  it("renamed: the new name is put and only the recorded old one deleted", () => {
    const p = plan(request(hookEnv("{name: boot-ready}"), front()), running({}));
    expect(find(p, "ensureLifecycleHook")[0]).toMatchObject({
      hook: { name: "boot-ready", heartbeatTimeout: 600, defaultResult: "CONTINUE" },
      remove: ["asg-release-launch"],
    });
  });

  it("disabled: the recorded hook is deleted (ours only), and the group recorded off", () => {
    const p = plan(
      request(hookEnv("{enabled: false}"), front()),
      running({ [key]: "mine/launch;300;ABANDON" }),
    );
    const [a] = find(p, "ensureLifecycleHook");
    expect(a).toMatchObject({ remove: ["mine/launch"], tag: { key, value: "off" } });
    expect(a?.hook).toBeUndefined();
    expect(p.changes[0]?.reason).toBe("launch hook off (mine/launch deleted)");
  });

  it("disabled and no record: the configured name is deleted once (a missing hook is no error)", () => {
    const p = plan(request(hookEnv("{enabled: false}"), front()), running("no record"));
    expect(find(p, "ensureLifecycleHook")[0]).toMatchObject({
      remove: ["asg-release-launch"],
      tag: { key, value: "off" },
      reason:
        "shop.front_A has no skopos:lifecycle_hook tag (made by an earlier version): the launch hook is deleted once",
    });
  });

  it("an unreadable record counts as none", () => {
    const p = plan(request(env(baseEnv), front()), running({ [key]: "edited by hand" }));
    expect(find(p, "ensureLifecycleHook")[0]).toMatchObject({
      hook: { name: "asg-release-launch" },
      remove: [],
      reason:
        'shop.front_A\'s skopos:lifecycle_hook tag "edited by hand" is not one asg-release writes: the launch hook is put once',
    });
  });

  it.each([
    ["on, recorded with the same settings", "{}", "asg-release-launch;600;CONTINUE"],
    ["off, recorded off", "{enabled: false}", "off"],
  ])("%s: nothing to do", (_case, settings, recorded) => {
    const p = plan(request(hookEnv(settings), front()), running({ [key]: recorded }));
    expect(p.changes).toEqual([]);
  });

  it("comes before a scale-out, so the new members are held by the hook", () => {
    const p = plan(request(env(baseEnv), front(4)), running({ [key]: "off" }));
    expect(outline(p)).toEqual([
      "front scale: ensureLifecycleHook shop.front_A, setCapacity shop.front_A, waitJoin shop.front_A",
    ]);
    expect(p.changes[0]?.reason).toBe("launch hook asg-release-launch (600 s, CONTINUE); replicas 2 -> 4");
  });

  it("a group that is not the project's is left alone", () => {
    const p = plan(
      request(env(baseEnv), front()),
      observed({
        groups: [group("shop.front_A", { imageId: "reg/front:1", managed: false, tags: { [key]: "off" } })],
      }),
    );
    expect(find(p, "ensureLifecycleHook")).toEqual([]);
  });

  it("limited-permissions mode never changes a hook, whatever the record says", () => {
    const limited = env("lb:\n  web: {target_group: tg-web, port: 8080}\n");
    const p = plan(
      request(limited, front(3)),
      observed({
        network: undefined,
        groups: [
          group("shop.front_A", { imageId: "reg/front:1", tags: { [key]: "off" } }),
          group("shop.front_B", { imageId: "reg/front:2", instances: [], desiredCapacity: 0, minSize: 0 }),
        ],
      }),
    );
    expect(outline(p)).toEqual(["front scale: setCapacity shop.front_A, waitJoin shop.front_A"]);
  });
});

describe("a new group records its hook", () => {
  it.each([
    ["on", "{heartbeat_timeout: 60}", "asg-release-launch;60;CONTINUE"],
    ["off", "{enabled: false}", "off"],
  ])("%s: the record is a group tag, not propagated to instances", (_case, settings, value) => {
    const [created] = find(plan(request(hookEnv(settings), front()), observed()), "createGroup");
    expect(created?.groupTags).toEqual({ [key]: value });
    expect(created?.tags[key]).toBeUndefined();
  });
});

describe("the record", () => {
  it.each<[string, LifecycleHookSpec | "off" | undefined]>([
    [
      "asg-release-launch;600;CONTINUE",
      { name: "asg-release-launch", heartbeatTimeout: 600, defaultResult: "CONTINUE" },
    ],
    ["a/b_c-d;30;ABANDON", { name: "a/b_c-d", heartbeatTimeout: 30, defaultResult: "ABANDON" }],
    ["off", "off"],
    ["", undefined],
    ["asg-release-launch;600", undefined],
    ["asg-release-launch;ten;CONTINUE", undefined],
    ["asg-release-launch;600;STOP", undefined],
  ])("%j reads back as %j", (value, parsed) => {
    expect(parseHookRecord(value)).toEqual(parsed);
    if (parsed !== undefined) expect(hookRecord(parsed === "off" ? undefined : parsed)).toBe(value);
  });
});

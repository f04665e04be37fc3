// The launch lifecycle hook of an existing group, made as the environment's lifecycle_hook says. What
// asg-release last put is recorded in a group tag ("name;heartbeat;result" or "off"), so the state
// needs no DescribeLifecycleHooks per group; a group without the tag (made by an earlier version) is
// unknown, and its hook is put (or deleted) once. Only our own hook names are ever deleted.
import type { Ec2AsgConfig } from "#shared/config/ec2-asg-schema.js";
import type { Action, LifecycleHookSpec } from "../actions.js";
import type { ObservedGroup } from "../observe/observed.js";
import type { PlanContext } from "./context.js";

const off = "off";

/** The hook the environment asks for; undefined when lifecycle_hook.enabled is false. */
export function desiredHook(config: Ec2AsgConfig): LifecycleHookSpec | undefined {
  const hook = config.lifecycle_hook;
  return hook.enabled
    ? { name: hook.name, heartbeatTimeout: hook.heartbeat_timeout, defaultResult: hook.default_result }
    : undefined;
}

/** The tag value recording `hook` ("asg-release-launch;600;CONTINUE"), or "off". */
export function hookRecord(hook: LifecycleHookSpec | undefined): string {
  return hook ? `${hook.name};${hook.heartbeatTimeout};${hook.defaultResult}` : off;
}

/** A recorded value read back: "off", the hook, or undefined when absent or not one we wrote. */
export function parseHookRecord(value: string | undefined): LifecycleHookSpec | "off" | undefined {
  if (value === off) return off;
  const m = /^([A-Za-z0-9\-_/]{1,255});(\d+);(CONTINUE|ABANDON)$/.exec(value ?? "");
  if (!m) return undefined;
  return { name: m[1]!, heartbeatTimeout: Number(m[2]), defaultResult: m[3] as "CONTINUE" | "ABANDON" };
}

const hookText = (hook: LifecycleHookSpec | "off"): string =>
  hook === off ? off : `${hook.name} (${hook.heartbeatTimeout} s, ${hook.defaultResult})`;

/**
 * The action that brings the group's launch hook to the environment's settings, or nothing when its
 * record already says so. Full mode only: limited-permissions mode does not reconfigure groups.
 */
export function planHook(ctx: PlanContext, group: ObservedGroup): Action[] {
  if (ctx.request.limitedPermissions || !group.managed || group.deleting) return [];
  const want = desiredHook(ctx.request.config);
  const value = hookRecord(want);
  const key = ctx.keys.lifecycleHook;
  const recorded = group.tags[key];
  if (recorded === value) return [];
  const was = parseHookRecord(recorded);
  // Without a record the hook may be there under the configured name (an earlier version made it).
  const own = was === undefined ? ctx.request.config.lifecycle_hook.name : was === off ? undefined : was.name;
  const remove = own !== undefined && own !== want?.name ? [own] : [];
  const once = `the launch hook is ${want ? "put" : "deleted"} once`;
  const reason =
    was !== undefined
      ? `lifecycle_hook changed: ${hookText(was)} -> ${hookText(want ?? off)}`
      : recorded === undefined
        ? `${group.name} has no ${key} tag (made by an earlier version): ${once}`
        : `${group.name}'s ${key} tag ${JSON.stringify(recorded)} is not one asg-release writes: ${once}`;
  return [
    {
      kind: "ensureLifecycleHook",
      component: group.component,
      group: group.name,
      ...(want ? { hook: want } : {}),
      remove,
      tag: { key, value },
      reason,
    },
  ];
}

/** A short account of the hook change for the change's reason. */
export function hookSummary(actions: Action[]): string[] {
  return actions.flatMap((a) =>
    a.kind === "ensureLifecycleHook"
      ? [a.hook ? `launch hook ${hookText(a.hook)}` : `launch hook off (${a.remove.join(", ")} deleted)`]
      : [],
  );
}

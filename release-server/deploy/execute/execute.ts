// Runs one action: the handler of its kind, one per Action kind. The table must name every kind,
// so a new kind without a handler does not compile. Every handler is idempotent, so a re-run after
// a crash can repeat the action that was under way.
import type { Action, ActionKind, ActionOf } from "../actions.js";
import { groupTagHandlers } from "./group-tags.js";
import { groupHandlers } from "./groups.js";
import { handoffHandlers } from "./handoff-steps.js";
import type { ExecuteDeps, Handler, Handlers } from "./handler.js";
import { launchHandlers } from "./launch.js";
import { lifecycleHookHandlers } from "./lifecycle-hook.js";
import { loadBalancerHandlers } from "./load-balancers.js";
import { volumeHandlers } from "./sweep-volumes.js";
import { waitHandlers } from "./waits.js";

export type { ExecuteDeps } from "./handler.js";

/** The per-resource tables; each kind is in exactly one (a unit test checks they do not overlap). */
export const handlerTables = [
  launchHandlers,
  groupHandlers,
  lifecycleHookHandlers,
  groupTagHandlers,
  loadBalancerHandlers,
  waitHandlers,
  handoffHandlers,
  volumeHandlers,
] as const;

// Spelled out rather than built from handlerTables, so the type names every kind: a kind missing
// from all tables does not compile.
const handlers: Handlers<ActionKind> = {
  ...launchHandlers,
  ...groupHandlers,
  ...lifecycleHookHandlers,
  ...groupTagHandlers,
  ...loadBalancerHandlers,
  ...waitHandlers,
  ...handoffHandlers,
  ...volumeHandlers,
};

export function executeAction(deps: ExecuteDeps, a: Action): Promise<void> {
  return run(deps, a);
}

function run<K extends ActionKind>(deps: ExecuteDeps, a: ActionOf<K>): Promise<void> {
  const handler: Handler<K> = handlers[a.kind as K];
  return handler(a, deps);
}

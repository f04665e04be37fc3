// The shape of an action handler: one function per Action kind, given the action of that kind and
// what the executor runs with. Every handler is idempotent, so a re-run after a crash can repeat
// the action that was under way.
import type { ActionKind, ActionOf } from "../actions.js";
import type { HandoffClient } from "./handoff.js";
import type { WaitDeps } from "./wait-poll.js";

export interface ExecuteDeps extends WaitDeps {
  handoff: HandoffClient;
  /** The handoff tag key ({tag_prefix}handoff). */
  handoffTag: string;
  /** The kept-slot tag key ({tag_prefix}kept_until). */
  keptTag: string;
}

export type Handler<K extends ActionKind> = (action: ActionOf<K>, deps: ExecuteDeps) => Promise<void>;

/** The handlers of some kinds; execute.ts joins them into one for every kind. */
export type Handlers<K extends ActionKind> = { [P in K]: Handler<P> };

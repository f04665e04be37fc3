// The actions that wait rather than change: members running and healthy, a batch baking,
// registrations draining, a deleted group gone. Each only reads, so a re-run repeats it safely.
import { bake } from "./bake.js";
import type { Handlers } from "./handler.js";
import { waitDrained } from "./wait-drained.js";
import { waitGroupGone } from "./wait-gone.js";
import { waitJoin } from "./wait-join.js";

export const waitHandlers: Handlers<"waitJoin" | "bake" | "waitDrained" | "waitGroupGone"> = {
  waitJoin: (a, deps) => waitJoin(deps, a),
  bake: (a, deps) => bake(deps, a),
  waitDrained: (a, deps) => waitDrained(deps, a),
  waitGroupGone: (a, deps) => waitGroupGone(deps, a),
};

// Runs a plan's changes in order. When a new slot does not become healthy (its waitJoin fails) the
// change's `onFailure` actions tear it down and the old slot, never detached, keeps serving; the
// deploy then fails with the reason.
import { StepError, messageOf } from "../../../shared/errors.js";
import type { Plan } from "../actions.js";
import { executeAction, type ExecuteDeps } from "./execute.js";
import { describeAction } from "../format.js";
import type { Progress } from "../progress.js";

export async function runPlan(
  plan: Plan,
  deps: Omit<ExecuteDeps, "report">,
  progress: Progress,
): Promise<void> {
  await progress.run(plan.changes, async (change, report) => {
    const n = change.actions.length;
    for (const [i, action] of change.actions.entries()) {
      report(`[${i + 1}/${n}] ${describeAction(action)}`);
      try {
        await executeAction({ ...deps, report }, action);
      } catch (err) {
        let teardown = "";
        // Only a health wait or a bake tears the new slot down (a rollback: the old slot was never
        // detached); any other failure leaves the state for a re-run to finish (it plans again).
        if ((action.kind === "waitJoin" || action.kind === "bake") && change.onFailure.length > 0) {
          report(`failed: ${messageOf(err)}`);
          const failed: string[] = [];
          for (const undo of change.onFailure) {
            report(`tear down: ${describeAction(undo)}`);
            try {
              await executeAction({ ...deps, report }, undo);
            } catch (undoErr) {
              failed.push(`${describeAction(undo)}: ${messageOf(undoErr)}`);
            }
          }
          teardown = failed.length
            ? `; tearing the new slot down failed too (run the deploy again to finish): ${failed.join("; ")}`
            : change.kind === "rollback"
              ? "; the kept slot was detached again and the current one is still serving"
              : "; rolled back: the new slot was torn down and the previous one is still serving";
        }
        throw new StepError(change.component, `${describeAction(action)}: ${messageOf(err)}${teardown}`, {
          cause: err,
          context: { component: change.component },
        });
      }
    }
  });
}

// Runs a plan's changes in order. When a new slot does not become healthy (its waitJoin fails) the
// change's `onFailure` actions tear it down and the old slot, never detached, keeps serving; the
// deploy then fails with the reason. Each action logs its start and its end (logOp).
import { StepError, messageOf } from "#shared/errors.js";
import { field, logOp, silentLogger, type Logger } from "#shared/log.js";
import type { Action, Change, Plan } from "../actions.js";
import { executeAction, type ExecuteDeps } from "./execute.js";
import { describeAction } from "../format.js";
import type { Progress } from "../progress.js";

export async function runPlan(
  plan: Plan,
  deps: Omit<ExecuteDeps, "report"> & { log?: Logger },
  progress: Progress,
): Promise<void> {
  const { log = silentLogger, ...execDeps } = deps;
  const execute = (change: Change, action: Action, report: (text: string) => void) =>
    logOp(log, `deploy ${action.kind}`, () => executeAction({ ...execDeps, report }, action), {
      [field.project]: plan.project,
      [field.component]: change.component,
      ...("group" in action ? { [field.asg]: action.group } : {}),
      [field.action]: describeAction(action),
    });
  await progress.run(plan.changes, async (change, report) => {
    const n = change.actions.length;
    for (const [i, action] of change.actions.entries()) {
      report(`[${i + 1}/${n}] ${describeAction(action)}`);
      try {
        await execute(change, action, report);
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
              await execute(change, undo, report);
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

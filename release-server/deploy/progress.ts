// How a running plan shows itself: listr2 on a terminal (one task per component, the current
// action and wait under it), plain lines otherwise (logs, CI, tests).
import { Listr } from "listr2";
import type { Change } from "./actions.js";

export type Report = (text: string) => void;
export type RunChange = (change: Change, report: Report) => Promise<void>;

export interface Progress {
  run(changes: Change[], step: RunChange): Promise<void>;
}

const title = (c: Change) => `${c.component}: ${c.kind}: ${c.reason}`;

export function plainProgress(out: NodeJS.WritableStream): Progress {
  return {
    async run(changes, step) {
      for (const change of changes) {
        out.write(`==> ${title(change)}\n`);
        let last = "";
        try {
          await step(change, (text) => {
            // Waits report every check; a line only when what they see changes.
            if (text !== last) out.write(`    ${text}\n`);
            last = text;
          });
        } catch (err) {
          out.write(`    failed\n`);
          throw err;
        }
        out.write(`    done\n`);
      }
    },
  };
}

export function listrProgress(): Progress {
  return {
    async run(changes, step) {
      const tasks = changes.map((change) => ({
        title: title(change),
        task: async (_: unknown, task: { output: string }) => {
          await step(change, (text) => {
            task.output = text;
          });
        },
        rendererOptions: { bottomBar: 4 },
      }));
      await new Listr(tasks, { exitOnError: true, rendererOptions: { collapseErrors: false } }).run();
    },
  };
}

// A publish-lock contender in a process of its own (test/integration/publish-lock.test.ts): on each
// message it tries the lock once, and while holding it appends "enter"/"exit" lines to a shared log
// around a pause, so that the test sees any two holders overlap.
import { appendFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { withLock } from "../../release-server/publish/lock.js";
import { AsgReleaseError } from "#shared/errors.js";

interface Round {
  round: number;
  path: string;
  log: string;
}

process.on("message", (m: Round) => {
  void (async () => {
    let result: "held" | "busy";
    try {
      await withLock(m.path, "contender", async () => {
        await appendFile(m.log, `enter ${process.pid}\n`);
        await sleep(5);
        await appendFile(m.log, `exit ${process.pid}\n`);
      });
      result = "held";
    } catch (err) {
      if (!(err instanceof AsgReleaseError && err.code === "LockHeld")) throw err;
      result = "busy";
    }
    process.send?.({ round: m.round, result });
  })();
});
process.send?.({ ready: true });

// The order test files start in: the slowest known files first, so that none of them starts last
// and ends a parallel run alone; the rest in vitest's order (files that failed last time, then the
// longest last time, or the largest when there is no record, as on a fresh clone).
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Slowest first, from the durations of full runs (about 30 s and more each). */
export const SLOW_FIRST = [
  "test/e2e/quickstart-aws.test.ts",
  "test/e2e/deploy-agent.test.ts",
  "test/e2e/deploy-agent-abandon.test.ts",
  "test/e2e/publish-race.test.ts",
  "test/e2e/deploy-full.test.ts",
  "test/integration/deb-install.test.ts",
  "test/integration/deploy-faults.test.ts",
  "test/integration/deploy-crash.test.ts",
  "test/integration/agent-kill.test.ts",
  "test/integration/deploy-cli.test.ts",
  "test/integration/deploy-rollout.test.ts",
  "test/integration/deploy.test.ts",
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.indexOf(relative(this.ctx.config.root, f.moduleId));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return sorted
      .map((file, i) => ({ file, i }))
      .sort((a, b) => rank(a.file) - rank(b.file) || a.i - b.i)
      .map(({ file }) => file);
  }
}

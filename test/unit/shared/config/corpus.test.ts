// The configuration corpus: valid and invalid files for every rule of the environment file, the
// application model, their cross-checks and the release server config, each asserting its exact
// `FILE:LINE:COLUMN: path: message` lines.
import { describe, expect, it } from "vitest";
import { crossCases } from "./corpus/cross-cases.js";
import { environmentCases } from "./corpus/environment-cases.js";
import { mergeCases } from "./corpus/merge-cases.js";
import { modelCases } from "./corpus/model-cases.js";
import { runCase, type CorpusCase } from "./corpus/runner.js";
import { serverCases } from "./corpus/server-cases.js";
import { syntaxCases } from "./corpus/syntax-cases.js";

const suites: Record<string, CorpusCase[]> = {
  "file syntax": syntaxCases,
  "environment file": environmentCases,
  "several environment files": mergeCases,
  "application model": modelCases,
  "environment, model and project together": crossCases,
  "release server config": serverCases,
};

for (const [suite, cases] of Object.entries(suites)) {
  describe(suite, () => {
    it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
      const result = await runCase(c);
      expect(result.lines).toEqual(c.lines);
      expect(result.valid).toBe(!c.lines.some((line) => !/^[^:]+:\d+:\d+: warning: /.test(line)));
    });
  });
}

it("holds at least 60 cases", () => {
  expect(Object.values(suites).flat().length).toBeGreaterThanOrEqual(60);
});

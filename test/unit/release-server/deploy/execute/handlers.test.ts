// The executor's table joins per-resource tables by spreading them: a kind in two tables would
// silently take the later handler, which the types cannot see. This keeps them disjoint.
import { describe, expect, it } from "vitest";
import { handlerTables } from "../../../../../release-server/deploy/execute/execute.js";

describe("executor handler tables", () => {
  it("name each action kind in one table only", () => {
    const seen = new Map<string, number>();
    handlerTables.forEach((table, i) => {
      for (const kind of Object.keys(table)) {
        expect(seen.has(kind), `${kind} is in tables ${seen.get(kind)} and ${i}`).toBe(false);
        seen.set(kind, i);
      }
    });
    expect(seen.size).toBeGreaterThan(10);
  });
});

import { describe, expect, it } from "vitest";
import { planPin, type RollbackPin } from "../../../../../release-server/publish/plan/pin.js";

const B = "b".repeat(64);
const C = "c".repeat(64);
const pin: RollbackPin = {
  rolledBackTo: "20250101-000000-aaaaaaaa",
  releaseId: "20250102-000000-aaaaaaaa",
  sourceTreeHash: B,
  at: "2025-01-02T00:00:00.000Z",
};

describe("planPin", () => {
  it("publishes when no rollback pins the fleet", () => {
    expect(planPin({ pin: undefined, explicit: false, sourceTreeHash: B })).toEqual({
      publish: true,
      clearPin: false,
    });
  });

  it("holds an automatic publish of the tree the rollback rolled away from", () => {
    const d = planPin({ pin, explicit: false, sourceTreeHash: B });
    expect(d.publish).toBe(false);
    expect(d.publish ? "" : d.reason).toContain("pinned to the rolled-back release 20250101-000000-aaaaaaaa");
  });

  it("publishes forward, ending the pin, once the watched tree changed", () => {
    expect(planPin({ pin, explicit: false, sourceTreeHash: C })).toEqual({ publish: true, clearPin: true });
  });

  it("lets an operator's explicit publish through, ending the pin", () => {
    expect(planPin({ pin, explicit: true })).toEqual({ publish: true, clearPin: true });
  });

  it("holds an automatic publish whose tree is not known", () => {
    expect(planPin({ pin, explicit: false }).publish).toBe(false);
  });
});

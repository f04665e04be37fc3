import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, Gate, httpOptions } from "../../../../release-server/api/limits.js";

describe("Gate", () => {
  it("refuses beyond the per-client cap and beyond the total, and frees a place once", () => {
    const gate = new Gate(3, 2);
    const a1 = gate.take("a");
    const a2 = gate.take("a");
    expect(a1 && a2).toBeTruthy();
    expect(gate.take("a")).toBeUndefined();
    const b1 = gate.take("b");
    expect(b1).toBeDefined();
    expect(gate.take("c")).toBeUndefined();
    expect(gate.held()).toBe(3);
    a1!();
    a1!();
    expect(gate.held()).toBe(2);
    expect(gate.take("c")).toBeDefined();
    expect(gate.take("a")).toBeUndefined();
  });

  it("with a cap of 0 refuses everyone", () => {
    expect(new Gate(0, 0).take("a")).toBeUndefined();
  });
});

describe("httpOptions", () => {
  it("sets both timeouts (never 0) and checks connections often enough for them", () => {
    expect(httpOptions(DEFAULT_LIMITS)).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      connectionsCheckingInterval: 2500,
    });
    expect(httpOptions({ ...DEFAULT_LIMITS, headersTimeoutMs: 1000, requestTimeoutMs: 1000 })).toMatchObject({
      connectionsCheckingInterval: 250,
    });
  });
});

// Health-check durations and counts. AWS takes whole seconds with minimums (interval 5, timeout
// 2, thresholds 2); the sim takes any whole number of seconds from 1 and thresholds from 1, so
// tests can run probes quickly. Whole numbers keep the responses parseable by every SDK.
import { SimError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";

export function readSeconds(params: ParamReader, name: string): number | undefined {
  return readWhole(params, name, { min: 1, max: 3600 });
}

export function readCount(params: ParamReader, name: string): number | undefined {
  return readWhole(params, name, { min: 1, max: 10 });
}

function readWhole(
  params: ParamReader,
  name: string,
  bounds: { min: number; max: number },
): number | undefined {
  const raw = params.str(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < bounds.min || n > bounds.max)
    throw new SimError(
      "ValidationError",
      `Value '${raw}' at '${name}' failed to satisfy constraint: Member must have value between ${bounds.min} and ${bounds.max}`,
    );
  return n;
}

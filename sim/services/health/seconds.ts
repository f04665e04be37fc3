// Health-check durations. AWS takes whole seconds with minimums (interval 5, timeout 2); the sim
// also takes smaller and fractional values so tests can run probes quickly.
import { SimError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";

export function readSeconds(params: ParamReader, name: string): number | undefined {
  const raw = params.str(name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new SimError("ValidationError", `Value '${raw}' for ${name} must be a positive number of seconds`);
  return n;
}

export function readCount(
  params: ParamReader,
  name: string,
  bounds = { min: 1, max: 10 },
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

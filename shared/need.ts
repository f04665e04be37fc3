// The value a later step needs from an earlier one (a journal field, a created volume's id): present,
// or a typed error naming what was missing, since its absence is a bug or a damaged record.
import { AsgReleaseError } from "./errors.js";

export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new AsgReleaseError(`${what} is missing`, { code: "MissingValue", context: { what } });
  }
  return value;
}

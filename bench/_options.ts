// The benchmarks' numeric options (a leading underscore keeps this file out of `npm run bench`'s list).

/** The value `v` of option `--name` as an integer in min..max; otherwise an error saying what was expected. */
export function intOption(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`--${name}: expected an integer in ${min}..${max}, got ${v}`);
  return n;
}

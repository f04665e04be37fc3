// `Range: bytes=a-b | a- | -n` of GetObject. One range only, as S3 serves; a header that is not a
// single byte range is ignored and the whole object is returned.
import { S3Error } from "./errors.js";

export function parseRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) throw unsatisfiable(size, value);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== "" && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw unsatisfiable(size, value);
  return { start, end };
}

function unsatisfiable(size: number, requested: string): S3Error {
  return new S3Error("InvalidRange", "The requested range is not satisfiable", 416, {
    RangeRequested: requested,
    ActualObjectSize: String(size),
  });
}

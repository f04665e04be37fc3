// Success codes of an HTTP health check: ELBv2 `Matcher.HttpCode` ("200", "200,202", "200-399")
// and the classic ELB rule (200 only).
import { SimError } from "../../api/errors.js";

export function parseMatcher(httpCode: string): (status: number) => boolean {
  const parts = httpCode.split(",").map((p) => p.trim());
  const ranges = parts.map((part) => {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    const lo = Number(m?.[1]);
    const hi = m?.[2] === undefined ? lo : Number(m[2]);
    if (!m || lo < 200 || hi > 499 || hi < lo)
      throw new SimError(
        "ValidationError",
        `Health check matcher HTTP code '${httpCode}' must be a value between 200 and 499`,
      );
    return [lo, hi] as const;
  });
  return (status) => ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

/** Classic ELB: "only a 200 OK response is considered healthy". */
export const classicAccepts = (status: number): boolean => status === 200;

// A classic ELB health check target: `HTTP:80/index.html`, `HTTPS:443/health`, `TCP:22`, `SSL:443`.
// HTTPS and SSL are checked as TCP connects here: the sim's hosts serve no TLS of their own.
import { SimError } from "../../api/errors.js";

export interface ClassicTarget {
  protocol: "HTTP" | "HTTPS" | "TCP" | "SSL";
  port: number;
  /** HTTP(S) only */
  path?: string;
}

export function parseClassicTarget(target: string): ClassicTarget {
  const m = /^(HTTP|HTTPS|TCP|SSL):(\d{1,5})(\/.*)?$/i.exec(target);
  const port = Number(m?.[2]);
  const protocol = m?.[1]?.toUpperCase() as ClassicTarget["protocol"] | undefined;
  if (!m || !protocol || port < 1 || port > 65535)
    throw new SimError("ValidationError", `Invalid health check target: ${target}`);
  const http = protocol === "HTTP" || protocol === "HTTPS";
  if (http && !m[3])
    throw new SimError(
      "ValidationError",
      `Health check target ${target} must include a ping path for ${protocol}`,
    );
  if (!http && m[3])
    throw new SimError("ValidationError", `Health check target ${target} cannot have a path for ${protocol}`);
  return http ? { protocol, port, path: m[3] } : { protocol, port };
}

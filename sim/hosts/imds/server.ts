// One instance's metadata endpoint on <privateIp>:80 (processes in the host reach it through
// AWS_EC2_METADATA_SERVICE_ENDPOINT). IMDSv2 rules: PUT /latest/api/token with a TTL header issues
// a token; a GET with an invalid token gets 401, and so does a GET without one when tokens are required.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolveImds, type ImdsView } from "./routes.js";
import { TokenStore } from "./tokens.js";

export interface ImdsServer {
  /** e.g. "http://127.0.1.5:80" */
  readonly endpoint: string;
  close(): Promise<void>;
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "text/plain", ...headers });
  res.end(body);
}

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  view: () => ImdsView,
  tokens: TokenStore,
  now: () => number,
): void {
  const path = (req.url ?? "/").replace(/\/{2,}/g, "/");
  if (path.split("?")[0] === "/latest/api/token") {
    if (req.method !== "PUT") return send(res, 405, "Method Not Allowed");
    // IMDS refuses token requests that went through a proxy (the X-Forwarded-For check).
    if (req.headers["x-forwarded-for"] !== undefined) return send(res, 403, "Forbidden");
    const ttl = req.headers["x-aws-ec2-metadata-token-ttl-seconds"];
    const token = tokens.issue(Array.isArray(ttl) ? ttl[0] : ttl);
    if (token === undefined) return send(res, 400, "Bad Request");
    return send(res, 200, token, { "x-aws-ec2-metadata-token-ttl-seconds": String(ttl) });
  }
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "Method Not Allowed");
  const v = view();
  const token = req.headers["x-aws-ec2-metadata-token"];
  if (token !== undefined ? !tokens.isValid(String(token)) : v.data.httpTokens === "required") {
    return send(res, 401, "Unauthorized");
  }
  const r = resolveImds(v, path, new Date(now()));
  res.writeHead(r.status, { "content-type": r.contentType });
  res.end(req.method === "HEAD" ? undefined : r.body);
}

/** `view` is read on every request, so updates (lifecycle state, tags) show at once. */
export async function startImdsServer(
  ip: string,
  view: () => ImdsView,
  opts: { port?: number; now?: () => number } = {},
): Promise<ImdsServer> {
  const now = opts.now ?? Date.now;
  const tokens = new TokenStore(now);
  const server = createServer((req, res) => handle(req, res, view, tokens, now));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: ip, port: opts.port ?? 80 }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${ip}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// The API's HTTP server (node:http, or node:https with a certificate): routing, method checks, the
// limits of limits.ts, and a clean close that releases long-poll requests instead of waiting for them.
import { readFile } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { DEFAULT_LIMITS, Gate, httpOptions, limitBody, limitConnections, type ApiLimits } from "./limits.js";
import { routes, sendJson, type ApiDeps } from "./routes.js";

/** PEM certificate (chain) and private key, as text. */
export interface TlsPem {
  cert: string;
  key: string;
}

/** Reads the files server.yaml's listen.tls names. */
export async function readTls(files: { cert: string; key: string }): Promise<TlsPem> {
  const [cert, key] = await Promise.all([readFile(files.cert, "utf8"), readFile(files.key, "utf8")]);
  return { cert, key };
}

export interface ApiServer {
  /** http://HOST:PORT, or https:// */
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startApi(
  deps: ApiDeps,
  listen: { host: string; port: number; tls?: TlsPem },
  limits: ApiLimits = DEFAULT_LIMITS,
): Promise<ApiServer> {
  const longPolls = new Gate(limits.maxLongPolls, limits.maxLongPollsPerClient);
  const table = routes(deps, { longPolls, retryAfterSeconds: limits.retryAfterSeconds });
  const stopping = new AbortController();
  const handle: RequestListener = (req, res) => {
    // No route reads a request body: it is drained, up to the limit.
    if (!limitBody(req, res, limits.maxBodyBytes)) return;
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = table[url.pathname];
    const method = req.method === "HEAD" ? "GET" : req.method;
    const handler = route?.[method as "GET" | "POST"];
    if (!route) return sendJson(res, 404, { error: `no such path: ${url.pathname}` });
    if (!handler) {
      res.setHeader("allow", Object.keys(route).join(", "));
      return sendJson(res, 405, { error: `${req.method} is not allowed on ${url.pathname}` });
    }
    // A long-poll ends when its client goes away or the server stops.
    const request = new AbortController();
    res.on("close", () => request.abort());
    const signal = AbortSignal.any([request.signal, stopping.signal]);
    handler(req, res, url, signal).catch((err: unknown) => {
      deps.log.error({ err, path: url.pathname }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { error: (err as Error).message });
      else res.end();
    });
  };
  const options = httpOptions(limits);
  const server: Server = listen.tls
    ? createHttpsServer({ ...options, ...listen.tls }, handle)
    : createServer(options, handle);
  limitConnections(server, limits);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  return {
    url: `${listen.tls ? "https" : "http"}://${host}:${addr.port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        stopping.abort();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

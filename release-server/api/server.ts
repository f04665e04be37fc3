// The API's HTTP server (node:http, or node:https with a certificate): routing, method checks, and a
// clean close that releases long-poll requests instead of waiting for them.
import { readFile } from "node:fs/promises";
import { createServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
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
): Promise<ApiServer> {
  const table = routes(deps);
  const stopping = new AbortController();
  const handle: RequestListener = (req, res) => {
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
  const server: Server = listen.tls ? createHttpsServer(listen.tls, handle) : createServer(handle);
  // Long-polls may last MAX_WAIT_SECONDS; Node's default request timeout would cut them at 300 s.
  server.requestTimeout = 0;
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

// The one HTTP listener of the local region, on 127.0.0.1: the control API under /_sim/, the
// query-protocol services (EC2, Auto Scaling, ELB, ELBv2) and S3's REST-XML.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Sim } from "../runtime.js";
import { newRequestId } from "../state/ids.js";
import { dispatchQuery } from "./dispatch.js";
import { SimError } from "./errors.js";
import { parseParams } from "./params.js";
import { queryError, restError } from "./respond.js";
import { credentialScope, queryService } from "./route.js";
import { accessKeyOf } from "../auth/authorize.js";

export async function listen(
  sim: Sim,
  port: number,
  host = "127.0.0.1",
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(sim, req, res).catch((err: unknown) => {
      sim.recordError("http", err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return { server, url: `http://${host}:${bound}` };
}

async function handle(sim: Sim, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sim");
  const body = await readBody(req);
  const requestId = newRequestId();
  const method = req.method ?? "GET";

  if (url.pathname.startsWith("/_sim/")) return control(sim, method, url, body, res);

  const scope = credentialScope(req.headers, url.searchParams);
  const regionName = scope.region ?? sim.state.regions.keys().next().value ?? "us-east-1";
  const form =
    method === "POST" &&
    String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
      ? new URLSearchParams(body.toString("utf8"))
      : url.searchParams;
  const action = form.get("Action");
  const serviceName = queryService(scope, form.get("Version"), action);

  if (serviceName && action) {
    const service = sim.services.get(serviceName);
    if (!service) {
      const err = new SimError("InvalidAction", `The ${serviceName} service is not served here`, 400);
      return send(res, err.status, queryError(undefined, err, requestId), requestId);
    }
    const params = parseParams(form);
    delete params.Action;
    delete params.Version;
    const accessKeyId = accessKeyOf(req.headers, url.searchParams);
    const out = await dispatchQuery(sim, service, regionName, action, params, requestId, accessKeyId);
    return send(res, out.status, out.body, requestId);
  }

  if (!sim.s3) {
    const err = new SimError("NotImplemented", "S3 is not served here", 501);
    return send(res, err.status, restError(err, requestId), requestId);
  }
  const out = await sim.s3(sim, regionName, {
    method,
    path: decodeURIComponent(url.pathname),
    query: url.searchParams,
    headers: req.headers,
    body,
    requestId,
  });
  res.writeHead(out.status, { "x-amz-request-id": requestId, ...out.headers });
  res.end(method === "HEAD" ? undefined : out.body);
}

async function control(sim: Sim, method: string, url: URL, body: Buffer, res: ServerResponse): Promise<void> {
  const handler = sim.control.find(method, url.pathname);
  if (!handler) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: `no control route ${method} ${url.pathname}` }));
    return;
  }
  try {
    const input = body.length ? (JSON.parse(body.toString("utf8")) as unknown) : {};
    const out = await handler(input, url.searchParams);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(out ?? {}));
  } catch (err) {
    res.writeHead(err instanceof SimError ? err.status : 500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
  }
}

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, { "content-type": "text/xml;charset=UTF-8", "x-amzn-requestid": requestId });
  res.end(xml);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

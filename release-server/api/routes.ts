// The API's routes: the pointer in its plain form (/snap.txt, docs/spec/release.md#pointer) and as JSON with
// long-poll (/v1/release), status, health, metrics, the status page, and the write endpoint that
// needs a bearer token.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ReleasePointer } from "#shared/release/pointer.js";
import type { Logger } from "#shared/log.js";
import type { ProgressEvent, PublishReport } from "../publish/report.js";
import { isAuthorized } from "./auth.js";
import { clientOf, type Gate } from "./limits.js";
import type { Metrics } from "./metrics.js";
import type { PointerStore } from "./pointer-store.js";
import { STATUS_PAGE_CSP, STATUS_PAGE_HTML } from "./status-page/shell.js";

/** What a release id looks like (publish/release-id.ts); a rollback names one. */
const RELEASE_ID = /^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$/;

/** Longest long-poll a client may ask for; proxies and load balancers time out idle requests. */
export const MAX_WAIT_SECONDS = 300;

export interface ApiDeps {
  pointers: PointerStore;
  metrics: Metrics;
  /** The bearer token for write endpoints; without one they answer 403. */
  token?: string;
  /** /v1/status, the status page's body and /metrics need the token too (server.yaml api.guard_status). */
  guardStatus?: boolean;
  status: () => unknown;
  /** The status page's body (status-page/view.ts), guarded like /v1/status; without it, no page. */
  statusView?: () => string;
  /** Starts (or joins) a publish; resolves with its report. */
  requestPublish: (
    onEvent: (e: ProgressEvent) => void,
    opts?: { allowShrink?: boolean; rollbackTo?: string; explicit?: boolean },
  ) => Promise<PublishReport>;
  log: Logger;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, signal: AbortSignal) => Promise<void>;

/** Parked long-polls, counted per client address; beyond the caps a client is told to come back. */
export interface LongPolls {
  longPolls: Gate;
  retryAfterSeconds: number;
}

export function routes(
  deps: ApiDeps,
  polls: LongPolls,
): Record<string, Partial<Record<"GET" | "POST", Handler>>> {
  return {
    "/snap.txt": { GET: async (_req, res) => sendPointerText(res, deps.pointers.current()) },
    "/v1/release": { GET: (req, res, url, signal) => sendPointerJson(deps, polls, req, res, url, signal) },
    "/v1/status": {
      GET: async (req, res) => {
        if (statusAllowed(deps, req, res)) sendJson(res, 200, deps.status());
      },
    },
    // The page's shell holds no data: its script asks for the token and fetches the body below.
    "/status": {
      GET: async (_req, res) =>
        deps.statusView
          ? send(res, 200, "text/html; charset=utf-8", STATUS_PAGE_HTML, pageHeaders)
          : sendJson(res, 404, { error: "this server has no status page" }),
    },
    "/v1/status/page": {
      GET: async (req, res) => {
        if (!deps.statusView) return sendJson(res, 404, { error: "this server has no status page" });
        if (statusAllowed(deps, req, res))
          send(res, 200, "text/html; charset=utf-8", deps.statusView(), pageHeaders);
      },
    },
    "/healthz": { GET: async (_req, res) => send(res, 200, "text/plain", "ok\n") },
    "/metrics": {
      GET: async (req, res) => {
        if (statusAllowed(deps, req, res)) send(res, 200, "text/plain; version=0.0.4", deps.metrics.render());
      },
    },
    "/v1/publish": { POST: (req, res, url) => publish(deps, req, res, url) },
  };
}

const pageHeaders = {
  "content-security-policy": STATUS_PAGE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** With guardStatus, answers 401 unless the request carries the token; true when it may go on. */
function statusAllowed(deps: ApiDeps, req: IncomingMessage, res: ServerResponse): boolean {
  if (!deps.guardStatus) return true;
  if (deps.token && isAuthorized(req.headers.authorization, deps.token)) return true;
  res.setHeader("www-authenticate", 'Bearer realm="asg-release"');
  sendJson(res, 401, { error: "a valid bearer token is required" });
  return false;
}

function sendPointerText(res: ServerResponse, p: ReleasePointer | undefined): void {
  // A boot script may put whatever this returns into CreateVolume (docs/spec/release.md#boot-pointer): never
  // a body that could pass for an id unless there is a release.
  if (!p) return noRelease(res);
  send(res, 200, "text/plain", `${p.snapshotId}\n`, { etag: `"${p.releaseId}"` });
}

async function sendPointerJson(
  deps: ApiDeps,
  polls: LongPolls,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  signal: AbortSignal,
): Promise<void> {
  const wait = Math.min(MAX_WAIT_SECONDS, Math.max(0, Number(url.searchParams.get("wait") ?? 0) || 0));
  const after = url.searchParams.get("after") ?? ifNoneMatch(req);
  const now = deps.pointers.current();
  // Only a request that would wait holds a place: one answered at once costs nothing.
  const parks = wait > 0 && !(now && now.releaseId !== after);
  const release = parks ? polls.longPolls.take(clientOf(req.socket)) : undefined;
  if (parks && !release) {
    send(res, 503, "application/json", `${JSON.stringify({ error: "too many long-polls waiting" })}\n`, {
      "retry-after": String(polls.retryAfterSeconds),
    });
    return;
  }
  let p: ReleasePointer | undefined;
  try {
    p = await deps.pointers.waitForChange(after ?? undefined, wait * 1000, signal);
  } finally {
    release?.();
  }
  // Answered meanwhile (413 for a body over the limit) or gone.
  if (res.writableEnded || res.destroyed) return;
  if (!p) return noRelease(res);
  if (p.releaseId === ifNoneMatch(req)) {
    res.writeHead(304, { etag: `"${p.releaseId}"`, "cache-control": "no-store" }).end();
    return;
  }
  sendJson(res, 200, p, { etag: `"${p.releaseId}"` });
}

async function publish(deps: ApiDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (!deps.token)
    return sendJson(res, 403, { error: "write endpoints are disabled: no token file configured" });
  if (!isAuthorized(req.headers.authorization, deps.token)) {
    res.setHeader("www-authenticate", 'Bearer realm="asg-release"');
    return sendJson(res, 401, { error: "a valid bearer token is required" });
  }
  // ?rollback_to=RELEASE_ID: publish that older release's tree again, as a signed rollback.
  const rollbackTo = url.searchParams.get("rollback_to") ?? undefined;
  if (rollbackTo !== undefined && !RELEASE_ID.test(rollbackTo))
    return sendJson(res, 400, {
      error: `rollback_to: not a release id: ${JSON.stringify(rollbackTo.slice(0, 80))}`,
    });
  // Progress as one JSON object per line, the report last, so a client can draw as it goes.
  res.writeHead(200, { "content-type": "application/x-ndjson", "cache-control": "no-store" });
  // Sent now: the client learns the request was accepted (and starts drawing) before the first step.
  res.flushHeaders();
  const write = (e: ProgressEvent) => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(e)}\n`);
  };
  try {
    // ?allow_shrink=1: the operator's override of the shrink guard, for the publish this joins.
    const allowShrink = url.searchParams.get("allow_shrink") === "1";
    // An operator's request: it publishes even while a rollback pins the fleet.
    const report = await deps.requestPublish(write, {
      explicit: true,
      ...(allowShrink ? { allowShrink } : {}),
      ...(rollbackTo ? { rollbackTo } : {}),
    });
    write({ type: "result", report });
  } catch (err) {
    deps.log.error({ err }, "publish request failed");
    write({
      type: "result",
      report: {
        result: "failed",
        startedAt: new Date().toISOString(),
        durationMs: 0,
        members: [],
        error: (err as Error).message,
      },
    });
  }
  res.end();
}

function ifNoneMatch(req: IncomingMessage): string | undefined {
  return req.headers["if-none-match"]?.replace(/^W\//, "").replace(/"/g, "") || undefined;
}

function noRelease(res: ServerResponse): void {
  send(res, 503, "text/plain", "no release published yet\n", { "retry-after": "5" });
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers = {}): void {
  send(res, code, "application/json", `${JSON.stringify(body)}\n`, headers);
}

export function send(
  res: ServerResponse,
  code: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(code, { "content-type": type, "cache-control": "no-store", ...headers }).end(body);
}

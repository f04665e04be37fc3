// One health check against an instance's private address: an HTTP GET (status read, body dropped)
// or a TCP connect, no keep-alive, bounded by the check's timeout. Only 127.0.0.0/8 is ever
// contacted: every sim instance lives on loopback, and a probe must never leave the machine.
import { request } from "node:http";
import { connect } from "node:net";

export type ProbeResult =
  | { ok: true }
  | { ok: false; kind: "code"; code: number }
  | { ok: false; kind: "timeout" }
  | { ok: false; kind: "connect"; message: string };

export interface ProbeSpec {
  host: string;
  port: number;
  /** HTTP path; undefined probes with a TCP connect. */
  path?: string;
  timeoutMs: number;
  /** Which HTTP status codes count as success. */
  accepts: (status: number) => boolean;
  userAgent: string;
  signal?: AbortSignal;
}

export function isLoopback(ip: string): boolean {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

export function probe(spec: ProbeSpec): Promise<ProbeResult> {
  if (!isLoopback(spec.host))
    return Promise.resolve({ ok: false, kind: "connect", message: `refusing to probe ${spec.host}` });
  return spec.path === undefined ? probeTcp(spec) : probeHttp(spec, spec.path);
}

function probeTcp(spec: ProbeSpec): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: spec.host, port: spec.port });
    const finish = (result: ProbeResult): void => {
      clearTimeout(timer);
      spec.signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, kind: "connect", message: "aborted" });
    const timer = setTimeout(() => finish({ ok: false, kind: "timeout" }), spec.timeoutMs);
    spec.signal?.addEventListener("abort", onAbort);
    socket.once("connect", () => finish({ ok: true }));
    socket.once("error", (err) => finish({ ok: false, kind: "connect", message: err.message }));
  });
}

function probeHttp(spec: ProbeSpec, path: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let done = false;
    const req = request({
      host: spec.host,
      port: spec.port,
      path,
      method: "GET",
      agent: false,
      headers: { "user-agent": spec.userAgent, connection: "close", host: `${spec.host}:${spec.port}` },
    });
    const finish = (result: ProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      spec.signal?.removeEventListener("abort", onAbort);
      req.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ ok: false, kind: "connect", message: "aborted" });
    const timer = setTimeout(() => finish({ ok: false, kind: "timeout" }), spec.timeoutMs);
    spec.signal?.addEventListener("abort", onAbort);
    req.once("response", (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      finish(spec.accepts(status) ? { ok: true } : { ok: false, kind: "code", code: status });
    });
    req.once("error", (err) => finish({ ok: false, kind: "connect", message: err.message }));
    req.end();
  });
}

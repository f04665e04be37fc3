// Step 6: the service answers. One HTTP, TCP or command check, repeated with backoff until it
// passes or the deadline: "ready" is said only after this, never because the container started.
import { connect } from "node:net";
import { CommandError, messageOf, programName } from "#shared/errors.js";
import { poll, type Observation } from "#shared/poll.js";
import type { ReadinessCheck } from "#shared/config/agent.js";
import type { AgentContext } from "../context.js";

export function describeCheck(check: ReadinessCheck): string {
  if ("http" in check) return `GET ${check.http.url} answers ${check.http.status}`;
  if ("tcp" in check) return `TCP ${check.tcp.host}:${check.tcp.port} accepts`;
  // The program only: its arguments may hold secrets, and this goes into the failure reason.
  return `the command ${programName(check.command)} exits 0`;
}

export async function checkOnce(
  ctx: AgentContext,
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<Observation<void>> {
  const ok: Observation<void> = { state: "SUCCESS", value: undefined };
  try {
    if ("http" in check) {
      // Loaded on first use, not at start (as in the pointer step).
      const { request } = await import("undici");
      const res = await request(check.http.url, {
        method: "GET",
        reset: true,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body.dump();
      return res.statusCode === check.http.status ? ok : { state: "RETRY", reason: `HTTP ${res.statusCode}` };
    }
    if ("tcp" in check) {
      await tcpConnect(check.tcp.host, check.tcp.port, timeoutMs);
      return ok;
    }
    await ctx.run(check.command, { timeoutMs });
    return ok;
  } catch (err) {
    return { state: "RETRY", reason: reasonOf(err) };
  }
}

// Short reasons, so the timeout summary groups alike failures ("3 x ECONNREFUSED").
function reasonOf(err: unknown): string {
  if (err instanceof CommandError)
    return `exit ${err.exit ?? "signal"}${err.stderrTail ? `: ${err.stderrTail}` : ""}`;
  const code =
    (err as { code?: string; cause?: { code?: string } }).code ??
    (err as { cause?: { code?: string } }).cause?.code;
  return code ?? messageOf(err);
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("timeout", () => {
      socket.destroy();
      reject(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" }));
    });
    socket.once("error", (err) => {
      socket.destroy();
      reject(err);
    });
  });
}

export async function waitReady(ctx: AgentContext): Promise<{ attempts: number }> {
  const r = ctx.config.readiness;
  let attempts = 0;
  await poll(
    async () => {
      attempts++;
      return checkOnce(ctx, r.check, r.attempt_timeout * 1000);
    },
    {
      what: describeCheck(r.check),
      maxWaitMs: r.timeout * 1000,
      minDelayMs: r.interval * 1000,
      maxDelayMs: Math.max(r.interval * 1000, 10_000),
      clock: ctx.clock,
      signal: ctx.signal,
    },
  );
  return { attempts };
}

// What one client, or everyone together, may hold of the API: connections, parked long-polls, time
// to send a request, request body bytes. Anyone on the network can reach the open routes, so none
// of these may grow without bound (server.yaml `api`, docs/release-server.md#limits).
import type { IncomingMessage, ServerOptions, ServerResponse } from "node:http";
import type { Server, Socket } from "node:net";

export interface ApiLimits {
  /** Open connections, all clients together (node's server.maxConnections). */
  maxConnections: number;
  maxConnectionsPerClient: number;
  /** `/v1/release?wait=` requests parked at once, in total and per client address. */
  maxLongPolls: number;
  maxLongPollsPerClient: number;
  /** Seconds a client over a cap is asked to wait (Retry-After). */
  retryAfterSeconds: number;
  /** Time to receive the request's headers, and the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Request body bytes; no route reads a body, so this only bounds what is drained. */
  maxBodyBytes: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxConnections: 512,
  maxConnectionsPerClient: 64,
  maxLongPolls: 256,
  maxLongPollsPerClient: 8,
  retryAfterSeconds: 10,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxBodyBytes: 64 * 1024,
};

/** A client's address as the socket has it ("unknown" for a socket already closed). */
export const clientOf = (socket: Socket): string => socket.remoteAddress ?? "unknown";

/** Counts held per client and in total; `take` refuses beyond either cap. */
export class Gate {
  private total = 0;
  private readonly perClient = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly maxPerClient: number,
  ) {}

  /** A release function when there was room (call it exactly once), undefined otherwise. */
  take(client: string): (() => void) | undefined {
    const mine = this.perClient.get(client) ?? 0;
    if (this.total >= this.max || mine >= this.maxPerClient) return undefined;
    this.total++;
    this.perClient.set(client, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    };
  }

  held(): number {
    return this.total;
  }
}

/** node:http's own timeouts; the check runs often enough for short ones to take effect. */
export function httpOptions(l: ApiLimits): ServerOptions {
  const shortest = Math.min(l.headersTimeoutMs, l.requestTimeoutMs);
  return {
    headersTimeout: l.headersTimeoutMs,
    // Counts until the request is received, not answered: a parked long-poll is not cut by it.
    requestTimeout: l.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(100, Math.floor(shortest / 4))),
  };
}

/**
 * Caps connections in total (node drops the excess) and per client address (closed at once). Any
 * net.Server: plain HTTP or HTTPS, whose 'connection' is the TCP socket before TLS.
 */
export function limitConnections(server: Server, l: ApiLimits): void {
  server.maxConnections = l.maxConnections;
  const gate = new Gate(Number.MAX_SAFE_INTEGER, l.maxConnectionsPerClient);
  server.on("connection", (socket: Socket) => {
    const release = gate.take(clientOf(socket));
    if (!release) {
      socket.destroy();
      return;
    }
    socket.once("close", release);
  });
}

/**
 * Drains the request body, answering 413 and closing the connection once it passes `max` bytes
 * (at once when Content-Length says so). Returns false when the request was answered here.
 */
export function limitBody(req: IncomingMessage, res: ServerResponse, max: number): boolean {
  const tooLarge = () => {
    if (!res.headersSent) {
      res
        .writeHead(413, { "content-type": "application/json", connection: "close" })
        .end(`${JSON.stringify({ error: `request bodies are limited to ${max} bytes` })}\n`);
    }
    // Once answered, the connection ends: what the client still sends is never read.
    if (res.writableFinished) req.socket.destroy();
    else res.once("finish", () => req.socket.destroy());
  };
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max) {
    tooLarge();
    req.resume();
    return false;
  }
  let received = 0;
  let over = false;
  req.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (!over && received > max) {
      over = true;
      tooLarge();
    }
  });
  return true;
}

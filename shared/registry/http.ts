// The HTTP exchange the registry client needs, over undici: one request, the status, the headers
// and a body read up to a limit (a manifest is at most 4 MiB in distribution; anything larger is
// not one). Kept apart so the client's logic reads as the API calls it makes.
import type { IncomingHttpHeaders } from "node:http";
import { request, type Dispatcher } from "undici";

export interface HttpCall {
  method: "GET" | "HEAD";
  url: string;
  headers: Record<string, string>;
}

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type HttpSend = (call: HttpCall, signal?: AbortSignal) => Promise<HttpAnswer>;

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  readonly code = "BODY_TOO_LARGE";
}

export function undiciSend(
  dispatcher: Dispatcher,
  timeoutMs: number,
  maxBodyBytes = MAX_BODY_BYTES,
): HttpSend {
  return async (call, signal) => {
    const res = await request(call.url, {
      method: call.method,
      headers: call.headers,
      dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(signal ? { signal } : {}),
    });
    if (call.method === "HEAD") {
      await res.body.dump();
      return { status: res.statusCode, headers: res.headers, body: Buffer.alloc(0) };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBodyBytes) {
        res.body.destroy();
        throw new BodyTooLargeError(`response body larger than ${maxBodyBytes} bytes`);
      }
      chunks.push(chunk);
    }
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
  };
}

/** A header's single value (undici gives arrays for repeated headers). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// Seed 000, "Delegated Destroy": the handler "should respond to GET and POST. On GET, it must return
// a success status, one of the valid 2xx status codes"; "the POST request is expected to complete
// within 5sec". Over undici, with the body exactly the seed's fields.
import { request } from "undici";
import { AsgReleaseError, messageOf } from "../../../shared/errors.js";
import type { HandoffBody } from "../actions.js";

export interface HandoffClient {
  /** Pre-flight: the handler answers GET with a 2xx status. */
  check(uri: string): Promise<void>;
  post(uri: string, body: HandoffBody): Promise<void>;
}

export const handoffTimeoutMs = 5000;

async function send(
  timeoutMs: number,
  method: "GET" | "POST",
  uri: string,
  body?: HandoffBody,
): Promise<void> {
  let status: number;
  try {
    const res = await request(uri, {
      method,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
      ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
    });
    status = res.statusCode;
    await res.body.dump();
  } catch (err) {
    throw new AsgReleaseError(`delegated destroy: ${method} ${uri}: ${messageOf(err)}`, {
      code: "HandoffFailed",
      cause: err,
    });
  }
  if (status < 200 || status > 299) {
    const what = body ? `for ${body.ec2_instance_id}` : "(pre-flight check)";
    throw new AsgReleaseError(
      `delegated destroy: ${method} ${uri} ${what} answered ${status}, expected 2xx`,
      { code: "HandoffFailed" },
    );
  }
}

/** A hand-off client whose every request must complete within `timeoutMs` (the seed's 5 s by default). */
export function createHandoffClient(timeoutMs = handoffTimeoutMs): HandoffClient {
  return {
    check: (uri) => send(timeoutMs, "GET", uri),
    post: (uri, body) => send(timeoutMs, "POST", uri, body),
  };
}

export const undiciHandoff: HandoffClient = createHandoffClient();

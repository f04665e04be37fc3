// docs/spec/deploy.md#delegated-destroy: the handler answers GET with a 2xx status
// (docs/spec/deploy.md#handoff-check), and each POST must complete within 5 s
// (docs/spec/deploy.md#handoff-timeout). Over undici, with the body exactly the specified fields
// (docs/spec/deploy.md#handoff-body).
import { request } from "undici";
import { AsgReleaseError, messageOf } from "#shared/errors.js";
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

/** A hand-off client whose every request must complete within `timeoutMs` (5 s by default, docs/spec/deploy.md#handoff-timeout). */
export function createHandoffClient(timeoutMs = handoffTimeoutMs): HandoffClient {
  return {
    check: (uri) => send(timeoutMs, "GET", uri),
    post: (uri, body) => send(timeoutMs, "POST", uri, body),
  };
}

export const undiciHandoff: HandoffClient = createHandoffClient();

// The one boundary every AWS SDK call of the product crosses. A failure becomes an AwsError that
// names the operation, the ids it was about, the SDK's error code, request id and HTTP status, and
// whether trying again could help. Errors that mean "already done" (an idempotent re-run that finds
// its work finished) can be let through as `undefined`. Lint forbids `.send(` anywhere else.
import type { Command, CommandIO } from "@smithy/types";
import { AwsError, type ErrorContext } from "../errors.js";

/** Decides from an AWS error code and message that the call's effect is already there. */
export type AlreadyDone = (code: string, message: string) => boolean;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any SDK command of any client
type AnyCommand = Command<any, any, any, any, any>;
// Read through the command's handler: matching on Command<...> itself gives `never` for commands
// whose middleware types are not assignable (DescribeLifecycleHooks, GetObject).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any input
type OutputOf<C> = C extends CommandIO<any, infer O> ? O : never;

/** A client that can send the command, in the SDK's shape (its `send` is generic over commands). */
interface Sender<C> {
  send(command: C, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** For a call that a caller may cancel (the agent's boot on SIGTERM), and its "already done" test. */
export interface SendOptions {
  abortSignal?: AbortSignal;
  alreadyDone?: AlreadyDone;
}

// Error codes AWS uses for rate limits and brief unavailability, whatever the service.
const TRANSIENT = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "SlowDown",
  "ServiceUnavailable",
  "Unavailable",
  "InternalError",
  "InternalFailure",
  "RequestTimeout",
  "RequestTimeoutException",
]);

interface ServiceErrorLike {
  name?: string;
  message?: string;
  $fault?: "client" | "server";
  $retryable?: unknown;
  $metadata?: { requestId?: string; httpStatusCode?: number };
}

/** The SDK's error code of a failure ("InvalidVolume.NotFound"), or "" when it is not an AWS error. */
export function awsCode(err: unknown): string {
  if (err instanceof AwsError) return err.code;
  const name = (err as ServiceErrorLike | undefined)?.name;
  return name && name !== "Error" ? name : "";
}

/**
 * Sends one SDK command; the operation's name comes from the command ("DescribeInstances"). The
 * fourth argument is the "already done" test, or options carrying it and an abort signal.
 */
export function awsSend<C extends AnyCommand>(
  client: Sender<NoInfer<C>>,
  command: C,
  ids?: ErrorContext,
): Promise<OutputOf<C>>;
export function awsSend<C extends AnyCommand>(
  client: Sender<NoInfer<C>>,
  command: C,
  ids: ErrorContext,
  alreadyDone: AlreadyDone | (SendOptions & { alreadyDone: AlreadyDone }),
): Promise<OutputOf<C> | undefined>;
export function awsSend<C extends AnyCommand>(
  client: Sender<NoInfer<C>>,
  command: C,
  ids: ErrorContext,
  options: SendOptions & { alreadyDone?: undefined },
): Promise<OutputOf<C>>;
export function awsSend<C extends AnyCommand>(
  client: Sender<NoInfer<C>>,
  command: C,
  ids: ErrorContext = {},
  how?: AlreadyDone | SendOptions,
): Promise<OutputOf<C> | undefined> {
  const operation = command.constructor.name.replace(/Command$/, "");
  const { alreadyDone, abortSignal } = typeof how === "function" ? { alreadyDone: how } : (how ?? {});
  const send = () =>
    (abortSignal ? client.send(command, { abortSignal }) : client.send(command)) as Promise<OutputOf<C>>;
  return alreadyDone ? awsCall(operation, ids, send, alreadyDone) : awsCall(operation, ids, send);
}

/** Runs SDK work that is not a single send (a paginator, a waiter) under an operation's name. */
export function awsCall<T>(operation: string, ids: ErrorContext, fn: () => Promise<T>): Promise<T>;
export function awsCall<T>(
  operation: string,
  ids: ErrorContext,
  fn: () => Promise<T>,
  alreadyDone: AlreadyDone,
): Promise<T | undefined>;
export async function awsCall<T>(
  operation: string,
  ids: ErrorContext,
  fn: () => Promise<T>,
  alreadyDone?: AlreadyDone,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (alreadyDone && alreadyDone(awsCode(err), (err as ServiceErrorLike)?.message ?? "")) return undefined;
    throw toAwsError(operation, err, ids);
  }
}

/** The AwsError for a failed call: "<Operation>: <ids>: <code>: <message>", with the SDK's metadata. */
export function toAwsError(operation: string, err: unknown, ids: ErrorContext = {}): AwsError {
  if (err instanceof AwsError) return err;
  const e = (err ?? {}) as ServiceErrorLike;
  const code = awsCode(err) || "AwsError";
  const status = e.$metadata?.httpStatusCode;
  const what = Object.values(ids)
    .filter((v) => v !== undefined)
    .join(" ");
  return new AwsError(operation, `${what ? `${what}: ` : ""}${code}: ${e.message ?? String(err)}`, {
    code,
    cause: err,
    context: { ...ids, requestId: e.$metadata?.requestId, httpStatus: status },
    // Server faults, what the SDK itself calls retryable, rate limits, and failures with no HTTP
    // answer at all (a reset connection, a timeout) may pass on a later try.
    retryable:
      e.$fault === "server" ||
      e.$retryable !== undefined ||
      TRANSIENT.has(code) ||
      (status === undefined ? isNetworkFailure(e) : status === 429 || status >= 500),
  });
}

/**
 * A call that got no HTTP answer: a Node system error (ECONNRESET, ECONNREFUSED, ETIMEDOUT,
 * EAI_AGAIN...) or the SDK's request timeout. Any other error without an answer (a bug, an abort)
 * would fail the same way again.
 */
function isNetworkFailure(e: ServiceErrorLike & { code?: unknown }): boolean {
  return e.name === "TimeoutError" || (typeof e.code === "string" && /^E[A-Z_]+$/.test(e.code));
}

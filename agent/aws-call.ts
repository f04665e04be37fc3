// Wraps one AWS SDK call so that its failure reads "<Operation>: <code>: <message>" with the ids it
// was about, and keeps the SDK's request id and retryability (docs/design.md#errors-carry-context).
import { AwsError, type ErrorContext } from "../shared/errors.js";

interface ServiceLike {
  name?: string;
  message?: string;
  $fault?: "client" | "server";
  $retryable?: unknown;
  $metadata?: { requestId?: string; httpStatusCode?: number };
}

export async function awsCall<T>(
  operation: string,
  fn: () => Promise<T>,
  context: ErrorContext = {},
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toAwsError(operation, err, context);
  }
}

export function toAwsError(operation: string, err: unknown, context: ErrorContext = {}): AwsError {
  if (err instanceof AwsError) return err;
  const e = (err ?? {}) as ServiceLike;
  const code = e.name && e.name !== "Error" ? e.name : "AwsError";
  const status = e.$metadata?.httpStatusCode;
  return new AwsError(operation, `${code}: ${e.message ?? String(err)}`, {
    code,
    cause: err,
    context: { ...context, requestId: e.$metadata?.requestId, httpStatus: status },
    retryable: e.$fault === "server" || Boolean(e.$retryable) || status === undefined,
  });
}

/** The error code of an AWS failure (e.g. "InvalidSnapshot.NotFound"), or undefined. */
export function awsCode(err: unknown): string | undefined {
  return err instanceof AwsError ? err.code : undefined;
}

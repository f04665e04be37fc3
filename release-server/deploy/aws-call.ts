// Every AWS call of the executor goes through here: a failure becomes an AwsError naming the
// operation and what it was about; errors that mean "already done" (an idempotent re-run) pass.
import { AwsError, messageOf, type ErrorContext } from "../../shared/errors.js";

export function errorCode(err: unknown): string {
  return (err as { name?: string; Code?: string }).name ?? "";
}

export async function awsCall<T>(
  operation: string,
  context: ErrorContext,
  fn: () => Promise<T>,
  alreadyDone: (code: string, message: string) => boolean = () => false,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (alreadyDone(errorCode(err), messageOf(err))) return undefined;
    const what = Object.values(context)
      .filter((v) => v !== undefined)
      .join(" ");
    throw new AwsError(operation, `${what ? `${what}: ` : ""}${messageOf(err)}`, {
      code: errorCode(err) || "AwsError",
      context,
      cause: err,
      retryable: (err as { $retryable?: unknown }).$retryable !== undefined,
    });
  }
}

// The AWS errors by which a repeated action finds its work already done (a re-run after a crash).
import type { AlreadyDone } from "#shared/aws/call.js";

export const exists: AlreadyDone = (code) => /AlreadyExists/.test(code);

export const notFound: AlreadyDone = (code, message) =>
  /NotFound/.test(code) || /not found|does not exist/i.test(message);

// DeleteLifecycleHook of a hook that is not there: ValidationError "No Lifecycle Hook found with name ...".
export const noHook: AlreadyDone = (code, message) =>
  notFound(code, message) || (code === "ValidationError" && /No Lifecycle Hook found/i.test(message));

// AWS-shaped errors. Each service family serialises them its own way (api/respond.ts); the code,
// message and HTTP status are what the SDK's retry logic and the product's error handling read.

export class SimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Query-protocol fault type: the caller's fault or ours. */
    readonly type: "Sender" | "Receiver" = status >= 500 ? "Receiver" : "Sender",
  ) {
    super(message);
  }
}

export const notFound = (code: string, what: string): SimError =>
  new SimError(code, `${what} does not exist`);

export const invalidParameter = (message: string): SimError => new SimError("InvalidParameterValue", message);

export const missingParameter = (name: string): SimError =>
  new SimError("MissingParameter", `The request must contain the parameter ${name}`);

/** Query-protocol (Auto Scaling, ELB) validation error. */
export const validationError = (message: string): SimError => new SimError("ValidationError", message);

// IAM's error codes, with the HTTP statuses and messages IAM answers with.
import { SimError } from "../../api/errors.js";

export const noSuchEntity = (message: string): SimError => new SimError("NoSuchEntity", message, 404);
export const alreadyExists = (message: string): SimError => new SimError("EntityAlreadyExists", message, 409);
export const deleteConflict = (message: string): SimError => new SimError("DeleteConflict", message, 409);
export const limitExceeded = (message: string): SimError => new SimError("LimitExceeded", message, 409);
export const malformedPolicy = (message: string): SimError =>
  new SimError("MalformedPolicyDocument", message, 400);
export const validation = (message: string): SimError => new SimError("ValidationError", message, 400);

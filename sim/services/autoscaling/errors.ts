// Auto Scaling's errors, with the codes and messages the service sends (ValidationError for most
// refusals, AlreadyExists, ResourceInUse, ScalingActivityInProgress).
import { SimError, validationError } from "../../api/errors.js";
import type { ParamReader } from "../../api/params.js";

export const groupNotFound = (name: string): SimError =>
  validationError(`AutoScalingGroup name not found - AutoScalingGroup ${name} not found`);

export const launchConfigurationNotFound = (name: string): SimError =>
  validationError(`Launch configuration name not found - Launch configuration ${name} not found`);

export const alreadyExists = (message: string): SimError => new SimError("AlreadyExists", message);

export const resourceInUse = (message: string): SimError => new SimError("ResourceInUse", message);

export const scalingActivityInProgress = (message: string): SimError =>
  new SimError("ScalingActivityInProgress", message);

export const instanceNotManaged = (instanceId: string): SimError =>
  validationError(`Instance Id not found - No managed instance found for instance ID: ${instanceId}`);

/** The service framework's constraint message, as for a value outside a member's declared range. */
export function constraintError(param: string, value: unknown, constraint: string): SimError {
  return validationError(
    `1 validation error detected: Value '${String(value)}' at '${param}' failed to satisfy constraint: ${constraint}`,
  );
}

export function checkRange(
  value: number | undefined,
  param: string,
  bounds: { min?: number; max?: number },
): void {
  if (value === undefined) return;
  if (bounds.min !== undefined && value < bounds.min)
    throw constraintError(param, value, `Member must have value greater than or equal to ${bounds.min}`);
  if (bounds.max !== undefined && value > bounds.max)
    throw constraintError(param, value, `Member must have value less than or equal to ${bounds.max}`);
}

/** A required parameter, refused as the service framework does when it is absent. */
export function requiredParam(value: string | undefined, param: string): string {
  if (value === undefined || value === "")
    throw validationError(
      `1 validation error detected: Value null at '${lowerFirst(param)}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
}

export function requiredInt(params: ParamReader, param: string): number {
  requiredParam(params.str(param), param);
  return params.int(param)!;
}

export function requiredBool(params: ParamReader, param: string): boolean {
  requiredParam(params.str(param), param);
  return params.bool(param)!;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

// What project, component and slot names may look like, and the AWS limits on the names rendered
// from them (Auto Scaling group and launch configuration names: 255 characters; launch template
// names: 3 to 128 of letters, digits and ( ) . - / _).

/** Letters, digits, "-" and "_", starting with a letter or digit. */
export const namePattern = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** One letter or digit: A and B in practice. */
export const slotPattern = /^[A-Za-z0-9]$/;

export const slots = ["A", "B"] as const;

export const asgNameMax = 255;
export const launchConfigurationNameMax = 255;
export const launchTemplateNameMax = 128;
export const launchTemplateNameChars = /^[A-Za-z0-9().\-/_]*$/;

/** Why `value` cannot be a project or component name, or undefined when it can. */
export function nameProblem(value: string): string | undefined {
  if (namePattern.test(value)) return undefined;
  return `expected letters, digits, "-" and "_", starting with a letter or digit, got ${JSON.stringify(value)}`;
}

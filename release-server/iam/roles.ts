// The roles `asg-release iam-policy` writes policies for, apart from the generator so the command
// line can check --role without loading it.
export const roles = ["deploy", "instance", "release-server"] as const;
export type Role = (typeof roles)[number];

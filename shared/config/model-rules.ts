// Rules of the application model that span several keys, on the raw data (so they report even when
// the schema has found other problems).
import { nameProblem } from "../naming/names.js";
import { closest } from "./did-you-mean.js";
import { rawError, rawWarning, type RawIssue } from "./issues.js";
import { isMapping } from "./path.js";

/** Model attributes not mapped to EC2 (docs/spec/deploy.md#unmapped-attributes). */
export const unmappedAttributes = ["env", "volumes", "provides", "uses", "labels"] as const;

export function modelRules(data: Record<string, unknown>): RawIssue[] {
  const issues: RawIssue[] = [];
  const components = isMapping(data.components) ? data.components : undefined;
  if (components && Object.keys(components).length === 0) {
    issues.push(rawError(["components"], "value", "expected at least one component, got none"));
  }
  for (const [name, component] of Object.entries(components ?? {})) {
    const problem = nameProblem(name);
    if (problem) issues.push(rawError(["components", name], "key", `invalid component name: ${problem}`));
    if (!isMapping(component)) continue;
    if (component.singleton === true && typeof component.replicas === "number" && component.replicas > 1) {
      issues.push(
        rawError(
          ["components", name, "replicas"],
          "value",
          `expected at most 1 for a singleton component, got ${component.replicas}`,
        ),
      );
    }
    for (const key of unmappedAttributes) {
      if (component[key] !== undefined) {
        issues.push(
          rawWarning(["components", name, key], "key", "not mapped to EC2 by the ec2-asg plugin; ignored"),
        );
      }
    }
  }
  const gateways = isMapping(data.gateways) ? data.gateways : {};
  const names = Object.keys(components ?? {});
  for (const [gatewayName, gateway] of Object.entries(gateways)) {
    if (!isMapping(gateway) || !components) continue;
    const targets = typeof gateway.target === "string" ? [gateway.target] : gateway.target;
    if (!Array.isArray(targets)) continue;
    targets.forEach((target, i) => {
      if (typeof target !== "string" || names.includes(target)) return;
      const suggestion = closest(target, names);
      const hint = suggestion === undefined ? "" : `; did you mean ${JSON.stringify(suggestion)}?`;
      const path =
        typeof gateway.target === "string"
          ? ["gateways", gatewayName, "target"]
          : ["gateways", gatewayName, "target", i];
      issues.push(rawError(path, "value", `unknown component ${JSON.stringify(target)}${hint}`));
    });
  }
  return issues;
}

// Renders Auto Scaling group (and launch configuration/template) names from a naming template, and
// parses a name back into project, component and slot so existing groups can be recognised.
import { namePattern, slotPattern } from "./names.js";
import type { NamingTemplate, Placeholder } from "./template.js";

export interface NameParts {
  project: string;
  component: string;
  slot: string;
}

/** The component name a template without {comp} stands for (docs/spec/deploy.md#naming-template). */
export const soleComponent = "main";

export function canNameComponent(template: NamingTemplate, component: string): boolean {
  return template.hasComp || component === soleComponent;
}

export function renderName(template: NamingTemplate, parts: NameParts): string {
  if (!canNameComponent(template, parts.component)) {
    throw new RangeError(
      `naming template ${JSON.stringify(template.source)} has no {comp}: only a component named "${soleComponent}" can be created, not ${JSON.stringify(parts.component)}`,
    );
  }
  if (!namePattern.test(parts.project))
    throw new RangeError(`invalid project name ${JSON.stringify(parts.project)}`);
  if (!namePattern.test(parts.component)) {
    throw new RangeError(`invalid component name ${JSON.stringify(parts.component)}`);
  }
  if (!slotPattern.test(parts.slot)) throw new RangeError(`invalid slot ${JSON.stringify(parts.slot)}`);
  const values: Record<Placeholder, string> = { prj: parts.project, comp: parts.component, slot: parts.slot };
  return template.tokens.map((t) => (t.kind === "text" ? t.text : values[t.name])).join("");
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
const nameGroup = "([A-Za-z0-9][A-Za-z0-9_-]*?)";

/**
 * Project, component and slot of a name rendered from `template`, or undefined when the name is not
 * one of ours. When separators also occur inside names (e.g. "{prj}-{comp}-{slot}" with "my-shop"),
 * pass the project: without it the shortest project that fits is taken.
 */
export function parseName(
  template: NamingTemplate,
  name: string,
  opts: { project?: string } = {},
): NameParts | undefined {
  const order: Placeholder[] = [];
  let source = "^";
  for (const token of template.tokens) {
    if (token.kind === "text") {
      source += escape(token.text);
    } else if (token.name === "prj" && opts.project !== undefined) {
      source += `(${escape(opts.project)})`;
      order.push("prj");
    } else {
      source += token.name === "slot" ? "([A-Za-z0-9])" : nameGroup;
      order.push(token.name);
    }
  }
  const match = new RegExp(`${source}$`).exec(name);
  if (!match) return undefined;
  const found: Partial<Record<Placeholder, string>> = {};
  order.forEach((placeholder, i) => (found[placeholder] = match[i + 1]));
  return {
    project: found.prj!,
    component: found.comp ?? soleComponent,
    slot: found.slot!,
  };
}

import { describe, expect, it } from "vitest";
import { canNameComponent, parseName, renderName } from "#shared/naming/render.js";
import { parseNamingTemplate, type NamingTemplate } from "#shared/naming/template.js";

const template = (source: string): NamingTemplate => {
  const result = parseNamingTemplate(source);
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result.template;
};

describe("renderName and parseName", () => {
  it.each([
    ["{prj}.{comp}_{slot}", { project: "shop", component: "web", slot: "A" }, "shop.web_A"],
    ["{prj}.{name}_{side}", { project: "staging", component: "worker", slot: "B" }, "staging.worker_B"],
    ["{prj}-{comp}", { project: "shop", component: "api", slot: "A" }, "shop-api_A"],
    ["{slot}/{prj}/{comp}", { project: "shop", component: "web", slot: "B" }, "B/shop/web"],
    ["{prj}_{slot}", { project: "shop", component: "main", slot: "A" }, "shop_A"],
    ["{prj}.{comp}_{slot}", { project: "shop", component: "my_app", slot: "A" }, "shop.my_app_A"],
  ])("%s renders %o as %s and parses it back", (source, parts, name) => {
    const t = template(source);
    expect(renderName(t, parts)).toBe(name);
    expect(parseName(t, name)).toEqual(parts);
  });

  it("does not recognise names of other shapes", () => {
    const t = template("{prj}.{comp}_{slot}");
    expect(parseName(t, "shop-web-A")).toBeUndefined();
    expect(parseName(t, "shop.web_AB")).toBeUndefined();
    expect(parseName(t, "shop.web_A", { project: "other" })).toBeUndefined();
  });

  it("uses the known project to split names whose parts contain the separator", () => {
    const t = template("{prj}-{comp}-{slot}");
    expect(parseName(t, "my-shop-web-A")).toEqual({ project: "my", component: "shop-web", slot: "A" });
    expect(parseName(t, "my-shop-web-A", { project: "my-shop" })).toEqual({
      project: "my-shop",
      component: "web",
      slot: "A",
    });
  });

  it("without {comp}, names only the component called main", () => {
    const t = template("{prj}_{slot}");
    expect(canNameComponent(t, "main")).toBe(true);
    expect(canNameComponent(t, "web")).toBe(false);
    expect(() => renderName(t, { project: "shop", component: "web", slot: "A" })).toThrow(
      'naming template "{prj}_{slot}" has no {comp}: only a component named "main" can be created, not "web"',
    );
  });

  it("refuses parts that would make a different name", () => {
    const t = template("{prj}.{comp}_{slot}");
    expect(() => renderName(t, { project: "a.b", component: "web", slot: "A" })).toThrow(
      'invalid project name "a.b"',
    );
    expect(() => renderName(t, { project: "shop", component: "web", slot: "AB" })).toThrow(
      'invalid slot "AB"',
    );
  });
});

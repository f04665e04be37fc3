// The ec2-asg settings (docs/spec/deploy.md#settings) as the environment loader checks them: each test quotes
// the setting, default or rule it checks, and asserts the exact `FILE:LINE:COL: key: message` lines.
import { describe, expect, it } from "vitest";
import { componentSettings } from "#shared/config/component-settings.js";
import { loadEnvironment } from "#shared/config/environment.js";
import { parseSource } from "#shared/config/load.js";
import { formatIssue } from "#shared/errors.js";
import { parseNamingTemplate, effectiveTemplate } from "#shared/naming/template.js";
import { canNameComponent } from "#shared/naming/render.js";
import { renderUserData } from "#shared/userdata/render.js";

const minimal = "launch_config: {ami: ami-4d795c5a, type: t2.nano}\nimage_id_subst: x\n";

function load(text: string) {
  const { environment, issues } = loadEnvironment([parseSource("env.yaml", text).source!]);
  return { ec2Asg: environment?.ec2Asg, lines: issues.map(formatIssue) };
}

describe("required settings", () => {
  it('"vpc - A name or ID of an EC2 VPC ... This setting is optional if home_vpc is set"', () => {
    expect(load(minimal).lines).toEqual([
      "env.yaml:1:1: vpc: missing, expected a VPC name or id (required unless home_vpc is true; a record with only lb selects limited-permissions mode)",
    ]);
    expect(load(`home_vpc: true\n${minimal}`).lines).toEqual([]);
  });

  it('"launch_config - a map with data needed to create an instance" (required outside limited-permissions mode)', () => {
    expect(load("vpc: my-vpc\nimage_id_subst: x\n").lines).toEqual([
      "env.yaml:1:1: launch_config: missing, expected a mapping (required unless the record holds only lb, which selects limited-permissions mode)",
    ]);
  });

  it('"create a configuration that contains only the lb section (or an empty configuration, if load balancers are not used)"', () => {
    expect(load('lb:\n  app: "myapp-staging-lb"\n').lines).toEqual([]);
    expect(load("{}\n").lines).toEqual([]);
  });
});

describe("defaults", () => {
  it.each([
    ['home_vpc: "The default is false."', "home_vpc", false],
    ['subnets: "If not provided at all, subnets="*" is assumed"', "subnets", "*"],
    ["image_check_type: \"If set to 'docker' (the default value)\"", "image_check_type", "docker"],
    ['join_timeout: "The default is 360."', "join_timeout", 360],
    ['inst_running_timeout: "The default is 50."', "inst_running_timeout", 50],
  ] as const)("%s", (_sentence, key, value) => {
    expect(load(`vpc: my-vpc\n${minimal}`).ec2Asg?.[key]).toEqual(value);
  });

  it('"If naming_template is not set, the default is {prj}.{name}_{slot}." ({name} is {comp})', () => {
    const template = load(`vpc: my-vpc\n${minimal}`).ec2Asg!.naming_template;
    const parsed = parseNamingTemplate(template);
    expect(parsed.ok && effectiveTemplate(parsed.template)).toBe("{prj}.{comp}_{slot}");
    const seeds = parseNamingTemplate("{prj}.{name}_{slot}");
    expect(seeds.ok && effectiveTemplate(seeds.template)).toBe("{prj}.{comp}_{slot}");
  });

  it('"ebs_optimized = true | false. Defaults to false." and launch templates unless kind says otherwise', () => {
    const lc = componentSettings(load(`vpc: my-vpc\n${minimal}`).ec2Asg!, "web").launch_config;
    expect([lc.ebs_optimized, lc.kind]).toEqual([false, "template"]);
  });
});

describe("naming_template rules", () => {
  const problems = (template: string) =>
    load(`vpc: my-vpc\nnaming_template: "${template}"\n${minimal}`).lines;

  it("\"the placeholder patterns should not appear more than once in the string (e.g. '{prj}.{comp}.{prj}' is not valid)\"", () => {
    expect(problems("{prj}.{comp}.{prj}")).toEqual([
      "env.yaml:2:18: naming_template: {prj} appears 2 times; each placeholder may appear only once",
    ]);
  });

  it('"there should be no substrings enclosed in {}, nor any mismatched { and } characters in the string"', () => {
    expect(problems("{prj}.{comp}.{ver}")).toEqual([
      "env.yaml:2:18: naming_template: unknown placeholder {ver}; the placeholders are {prj}, {comp} (or {name}) and {slot} (or {side})",
    ]);
    expect(problems("{prj}.{comp")).toEqual(['env.yaml:2:18: naming_template: unmatched "{" at character 7']);
    expect(problems("{prj}}.{comp}")).toEqual([
      'env.yaml:2:18: naming_template: unmatched "}" at character 6',
    ]);
  });

  it('"there must be at least one character between any two placeholders"', () => {
    expect(problems("{prj}{comp}")).toEqual([
      "env.yaml:2:18: naming_template: {prj} and {comp} need at least one character between them",
    ]);
  });

  it('"{prj} must be present"', () => {
    expect(problems("{comp}_{slot}")).toEqual(["env.yaml:2:18: naming_template: must contain {prj}"]);
  });

  it("\"if {slot} is not present, the plugin will append '_{slot}' to the value set in naming_template\"", () => {
    const parsed = parseNamingTemplate("{prj}-{comp}");
    expect(parsed.ok && effectiveTemplate(parsed.template)).toBe("{prj}-{comp}_{slot}");
  });

  it("\"{comp} may be omitted, but ... the plugin will refuse to create any component except one named 'main'\"", () => {
    const parsed = parseNamingTemplate("{prj}_{slot}");
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    expect([canNameComponent(parsed.template, "main"), canNameComponent(parsed.template, "web")]).toEqual([
      true,
      false,
    ]);
  });
});

describe("tags, components, lb, delegated_destroy", () => {
  it('tags: "Do not use tag names that start with “skopos:” here."', () => {
    expect(load(`vpc: my-vpc\n${minimal}tags:\n  "skopos:image_id": x\n  team: shop\n`).lines).toEqual([
      'env.yaml:5:3: tags.skopos:image_id: reserved tag key: keys starting with "skopos:" are set by asg-release',
    ]);
  });

  it('components: "Each value is an object that can contain launch_config and/or tags and/or subnets"', () => {
    const lines = load(
      `vpc: my-vpc\n${minimal}components:\n  web:\n    launch_config: {type: t2.large}\n    tags: {a: b}\n    subnets: "*"\n    replicas: 2\n`,
    ).lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^env\.yaml:9:5: components\.web\.replicas: unknown key/);
  });

  it('lb: "If the object value is used, the object must contain both the "target_group" and "port" values"', () => {
    expect(
      load("lb:\n  a: {target_group: tg}\n  b: {port: 80}\n  c: {target_group: tg, port: 80}\n").lines,
    ).toEqual([
      "env.yaml:2:6: lb.a.port: missing, expected a number",
      "env.yaml:3:6: lb.b.target_group: missing, expected a string",
    ]);
  });

  it('lb: "Setting the value to null (e.g. "lb" { "aux": null }) is permitted"', () => {
    expect(load('{"lb": {"aux": null, "app": "myapp-staging-lb"}}\n').lines).toEqual([]);
  });

  it("delegated_destroy: \"If 'components' is not present or empty, the delegated destroy function is disabled and any other settings in 'delegated_destroy' are ignored\"", () => {
    expect(load(`vpc: my-vpc\n${minimal}delegated_destroy:\n  uri: "not a url"\n`).lines).toEqual([
      "env.yaml:4:1: warning: delegated_destroy: delegated destroy is off because components is empty; uri and user_data are ignored",
    ]);
  });

  it("delegated_destroy: \"If it is non-empty, the 'uri' setting is required.\"", () => {
    expect(load(`vpc: my-vpc\n${minimal}delegated_destroy:\n  components: [backend]\n`).lines).toEqual([
      "env.yaml:5:3: delegated_destroy.uri: missing, expected an http(s) URL (required when delegated_destroy.components is not empty)",
    ]);
  });
});

describe("image_id_subst and image_id_path", () => {
  const render = (userData: string, imageIdSubst: string) =>
    renderUserData({ userData, imageId: "reg/back:1.0", imageIdSubst, componentHasOwnLaunchConfig: false });

  it('"This can be any regular expression in the syntax supported by Python": a named group and back-reference', () => {
    expect(render("a 'IMG' b", "(?P<q>')IMG(?P=q)")).toMatchObject({ ok: true, text: "a reg/back:1.0 b" });
  });

  it('"The ec2-asg plugin will look for regular expression matches in the user_data text and replace every occurrence"', () => {
    expect(render("pull {{image_id}}\nrun {{image_id}}\n", "{{image_id}}")).toMatchObject({
      ok: true,
      text: "pull reg/back:1.0\nrun reg/back:1.0\n",
    });
  });

  it("\"The input 'user_data' is treated as multi-line text: '^' at the beginning of the regular expression matches at the start of any line and '.' matches anything except a newline.\"", () => {
    expect(render("IMAGE=a\nx IMAGE=b\nIMAGE=c\n", "^IMAGE=.*")).toMatchObject({
      ok: true,
      text: "reg/back:1.0\nx IMAGE=b\nreg/back:1.0\n",
    });
  });

  it('"If you are replacing a fixed string that contains regular-expression metacharacters (e.g., [].?*), these should be escaped"', () => {
    expect(render("run put.image.id.here; put-image-id-here", "put\\.image\\.id\\.here")).toMatchObject({
      ok: true,
      text: "run reg/back:1.0; put-image-id-here",
    });
    expect(render("run put-image-id-here", "put.image.id.here")).toMatchObject({
      ok: true,
      text: "run reg/back:1.0",
    });
  });

  it('"NOTE the \\ itself will need to be escaped, as it is a meta-character for the YAML/JSON text representation of the environment descriptor file"', () => {
    const head = "vpc: my-vpc\nlaunch_config: {ami: ami-4d795c5a, type: t2.nano}\n";
    expect(load(`${head}image_id_subst: "put\\\\.image"\n`).ec2Asg?.image_id_subst).toBe("put\\.image");
    expect(load(`${head}image_id_subst: 'put\\.image'\n`).ec2Asg?.image_id_subst).toBe("put\\.image");
    const { issues } = parseSource("env.yaml", `${head}image_id_subst: "put\\.image"\n`);
    expect(issues.map(formatIssue)).toEqual([
      "env.yaml:3:21: invalid YAML: invalid escape sequence \\.; inside double quotes write \\\\ for a backslash, or use single quotes",
    ]);
    const json = parseSource("env.json", '{"vpc": "v", "image_id_subst": "put\\.image"}');
    expect(json.issues.map(formatIssue)).toEqual([
      "env.json:1:37: invalid JSON: bad escaped character; write \\\\ for a backslash",
    ]);
  });

  it('image_id_path: "This is mutually exclusive with img_id_subst"', () => {
    expect(load(`vpc: my-vpc\n${minimal}image_id_path: app.image\n`).lines).toEqual([
      "env.yaml:4:1: image_id_path: image_id_subst and image_id_path are mutually exclusive; set only one",
    ]);
  });

  it('image_id_path: "can be used only if the user data text is in yaml form"', () => {
    const lines = load(
      'vpc: my-vpc\nlaunch_config: {ami: ami-4d795c5a, type: t2.nano, user_data: "#!/bin/sh\\necho hi"}\nimage_id_path: app.image\n',
    ).lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^env\.yaml:2:\d+: launch_config\.user_data: /);
  });
});

import { describe, expect, it } from "vitest";
import { setImageIdAtPath } from "#shared/userdata/image-path.js";
import { renderUserData } from "#shared/userdata/render.js";
import { userDataSource } from "#shared/userdata/source.js";
import { substituteImageId } from "#shared/userdata/substitute.js";

const script = "#!/bin/sh\n docker run --restart=unless-stopped {{image_id}}\n";
const cloudConfig =
  "#cloud-config\n# keep me\nruncmd:\n  - [docker, run, IMAGE]\nasg:\n  image: old # pinned\n";

describe("renderUserData", () => {
  it("substitutes every match of image_id_subst (the plugin's example)", () => {
    expect(
      renderUserData({
        userData: `${script}echo {{image_id}}\n`,
        imageId: "opsani/sample-back:v1",
        imageIdSubst: "{{image_id}}",
        componentHasOwnLaunchConfig: false,
      }),
    ).toEqual({
      ok: true,
      text: "#!/bin/sh\n docker run --restart=unless-stopped opsani/sample-back:v1\necho opsani/sample-back:v1\n",
      warnings: [],
    });
  });

  it("warns when image_id_subst matches nothing", () => {
    const result = renderUserData({
      userData: "#!/bin/sh\n",
      imageId: "app:1",
      imageIdSubst: "{{image_id}}",
      componentHasOwnLaunchConfig: false,
    });
    expect(result).toEqual({
      ok: true,
      text: "#!/bin/sh\n",
      warnings: ["image_id_subst matches nothing in user_data; the image id is not passed to instances"],
    });
  });

  it("sets image_id_path in YAML user_data, keeping #cloud-config and comments", () => {
    const result = renderUserData({
      userData: cloudConfig,
      imageId: "app:2",
      imageIdPath: "asg.image",
      componentHasOwnLaunchConfig: false,
    });
    expect(result).toEqual({
      ok: true,
      text: "#cloud-config\n# keep me\nruncmd:\n  - [ docker, run, IMAGE ]\nasg:\n  image: app:2 # pinned\n",
      warnings: [],
    });
  });

  it("leaves user_data unchanged without either setting, warning unless the component has its own launch_config", () => {
    const input = { userData: script, imageId: "app:1" };
    expect(renderUserData({ ...input, componentHasOwnLaunchConfig: true })).toEqual({
      ok: true,
      text: script,
      warnings: [],
    });
    const shared = renderUserData({ ...input, componentHasOwnLaunchConfig: false });
    expect(shared.ok && shared.warnings).toEqual([
      "user_data is used unchanged: neither image_id_subst nor image_id_path is set, and no per-component launch_config makes this component's launch configuration differ from the others",
    ]);
  });

  it("substitutes only image references", () => {
    expect(
      renderUserData({
        userData: script,
        imageId: "app; rm -rf /",
        imageIdSubst: "{{image_id}}",
        componentHasOwnLaunchConfig: false,
      }),
    ).toEqual({
      ok: false,
      problem:
        'image "app; rm -rf /": invalid repository name "app; rm -rf /": expected lowercase letters and digits, separated by "/", ".", "_", "__" or "-"',
    });
  });

  it("refuses both settings at once and untranslatable patterns", () => {
    const base = { userData: script, imageId: "app:1", componentHasOwnLaunchConfig: false };
    expect(renderUserData({ ...base, imageIdSubst: "x", imageIdPath: "a" })).toEqual({
      ok: false,
      problem: "image_id_subst and image_id_path are mutually exclusive",
    });
    expect(renderUserData({ ...base, imageIdSubst: "(?>x)" })).toEqual({
      ok: false,
      problem: "image_id_subst: atomic group (?>...) at character 1 has no JavaScript equivalent",
    });
  });
});

describe("setImageIdAtPath", () => {
  it.each([
    ["a: 1\n", "b.c", "a: 1\nb:\n  c: app:1\n"],
    [
      "write_files:\n  - path: /x\n    content: old\n",
      "write_files.0.content",
      "write_files:\n  - path: /x\n    content: app:1\n",
    ],
  ])("sets %j at %s", (userData, path, expected) => {
    expect(setImageIdAtPath(userData, path, "app:1")).toEqual({ ok: true, text: expected });
  });

  it.each([
    [script, "a", "expected a YAML mapping for image_id_path, got a string"],
    ["", "a", "expected a YAML mapping for image_id_path, got an empty document"],
    ["- 1\n", "a", "expected a YAML mapping for image_id_path, got a list"],
    [
      "a: [1\n",
      "a",
      "expected a YAML mapping for image_id_path, got invalid YAML (Flow sequence in block collection must be sufficiently indented and end with a ])",
    ],
    ["a: text\n", "a.b", 'image_id_path "a.b": a is a string, not a mapping'],
    ["a: [x]\n", "a.3", 'image_id_path "a.3": a is a list of 1 items; "3" is not an index in it'],
    ["a: 1\n", "a..b", 'expected keys separated by single dots like "a.b.c", got "a..b"'],
  ])("refuses %j with path %s", (userData, path, problem) => {
    expect(setImageIdAtPath(userData, path, "app:1")).toEqual({ ok: false, problem });
  });
});

describe("substituteImageId and userDataSource", () => {
  it("treats $ in the image id literally and refuses empty matches", () => {
    expect(substituteImageId("X X", /X/g, "a$&b")).toEqual({ ok: true, text: "a$&b a$&b", count: 2 });
    expect(substituteImageId("a\nb", /(?<=b)/g, "i")).toEqual({
      ok: false,
      problem: "image_id_subst matches an empty string on line 2 of user_data",
    });
  });
  it("models literal and S3 user_data", () => {
    expect(userDataSource("#!/bin/sh")).toEqual({ kind: "text", text: "#!/bin/sh" });
    expect(userDataSource({ s3: "my-bucket/path/to/user-data.sh" })).toEqual({
      kind: "s3",
      bucket: "my-bucket",
      key: "path/to/user-data.sh",
    });
  });
});

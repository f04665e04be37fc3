import { describe, expect, it } from "vitest";
import { reportedImage, withUnknownTag } from "../../../../shared/registry/reported-image.js";

const running = `sha256:${"1".repeat(64)}`;
const pushedSince = `sha256:${"2".repeat(64)}`;

describe("image_check_type: docker, on initial state load (docs/spec/deploy.md#image-check-unknown)", () => {
  it.each([
    [
      "the plugin compares the digest associated with any running instances to that found in the Docker Registry for the same image ID and if they are different, it replaces the 'tag' portion of the reported image ID with 'unknown'",
      ["team/app:1.4", running, pushedSince],
      "team/app:unknown",
    ],
    [
      "this is useful when image tags such as the Docker's default ':latest' are used (no tag written: the tag portion is the implicit latest)",
      ["team/app", running, pushedSince],
      "team/app:unknown",
    ],
    [
      "an image that has changed will be seen as being of a different version, even if it has the same exact tag (registry port kept)",
      ["127.0.0.1:5000/team/app:latest", running, pushedSince],
      "127.0.0.1:5000/team/app:unknown",
    ],
    [
      "same digest in the registry as running: the reported image ID is the image ID",
      ["team/app:1.4", running, running],
      "team/app:1.4",
    ],
    [
      "the image ID no longer in the registry: what runs differs from what it names",
      ["team/app:1.4", running, undefined],
      "team/app:unknown",
    ],
    [
      "no image digest is stored with running instances (image_check_type: none): nothing to compare",
      ["team/app:1.4", undefined, pushedSince],
      "team/app:1.4",
    ],
  ] as const)("%s", (_sentence, [imageId, runningDigest, registryDigest], expected) => {
    expect(reportedImage(imageId, runningDigest, registryDigest)).toBe(expected);
  });

  it("making it different from any other version: the model's image ID no longer matches, so an upgrade is planned", () => {
    const reported = reportedImage("team/app:1.4", running, pushedSince);
    expect(reported).not.toBe("team/app:1.4");
  });
});

describe("withUnknownTag", () => {
  it.each([
    ["nginx", "nginx:unknown"],
    ["nginx:1.27", "nginx:unknown"],
    ["localhost:5000/app", "localhost:5000/app:unknown"],
    [`app:1@sha256:${"a".repeat(64)}`, `app:unknown@sha256:${"a".repeat(64)}`],
  ])("%s -> %s", (input, expected) => {
    expect(withUnknownTag(input)).toBe(expected);
  });
});

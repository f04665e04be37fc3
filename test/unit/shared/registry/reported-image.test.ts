// The running version a group reports: its id as written, or the tag "unknown" when the digest
// stored on it differs from the registry's answer for the same reference.
import { describe, expect, it } from "vitest";
import { reportedImage, withUnknownTag } from "#shared/registry/reported-image.js";

const running = `sha256:${"1".repeat(64)}`;
const pushedSince = `sha256:${"2".repeat(64)}`;
const pinned = `sha256:${"a".repeat(64)}`;

describe("image_check_type: docker, on state load", () => {
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
      "docker, same digest: the same version",
      ["reg/app:latest", "sha256:new", "sha256:new"],
      "reg/app:latest",
    ],
    [
      "docker, other digest: the tag reads unknown",
      ["reg/app:latest", "sha256:old", "sha256:new"],
      "reg/app:unknown",
    ],
    [
      "the image ID no longer in the registry: what runs differs from what it names",
      ["team/app:1.4", running, null],
      "team/app:unknown",
    ],
    [
      "a digest-pinned reference the registry has lost reads unknown, without its @digest",
      [`app:1@${pinned}`, pinned, null],
      "app:unknown",
    ],
    [
      "a digest-pinned reference the registry still has is the same version",
      [`app@${pinned}`, pinned, pinned],
      `app@${pinned}`,
    ],
    [
      "no image digest is stored with running instances (made with image_check_type: none, or by hand): nothing to compare",
      ["team/app:1.4", undefined, pushedSince],
      "team/app:1.4",
    ],
    [
      "no stored digest, and the image is gone from the registry: still nothing to compare",
      ["team/app:1.4", undefined, null],
      "team/app:1.4",
    ],
    [
      "none (no registry answer): image ids compared as text, a stored digest is ignored",
      ["reg/app:latest", "sha256:old", undefined],
      "reg/app:latest",
    ],
  ] as const)("%s", (_sentence, [imageId, storedDigest, registryDigest], expected) => {
    expect(reportedImage(imageId, storedDigest, registryDigest)).toBe(expected);
  });

  it("making it different from any other version: the model's image ID no longer matches, so an upgrade is planned", () => {
    const reported = reportedImage("team/app:1.4", running, pushedSince);
    expect(reported).not.toBe("team/app:1.4");
  });
});

describe("withUnknownTag: the reference as written, tag `unknown`, no @digest", () => {
  it.each([
    ["nginx", "nginx:unknown"],
    ["nginx:1.27", "nginx:unknown"],
    ["localhost:5000/app", "localhost:5000/app:unknown"],
    ["localhost:5000/app:2", "localhost:5000/app:unknown"],
    ["docker.io/library/nginx:1", "docker.io/library/nginx:unknown"],
    [`app:1@${pinned}`, "app:unknown"],
    [`app@${pinned}`, "app:unknown"],
    ["Not/A:Reference", "Not/A:unknown"],
  ])("%s -> %s", (input, expected) => {
    expect(withUnknownTag(input)).toBe(expected);
  });
});

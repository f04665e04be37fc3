import { describe, expect, it } from "vitest";
import { parseImageRef } from "#shared/image-ref/parse.js";
import { registryBaseUrl } from "#shared/registry/scheme.js";

const baseUrl = (image: string, insecure: string[] = []) => {
  const parsed = parseImageRef(image);
  if (!parsed.ok) throw new Error(parsed.problem);
  return registryBaseUrl(parsed.ref, insecure);
};

describe("registryBaseUrl", () => {
  it.each([
    ["nginx", [], "https://registry-1.docker.io"],
    ["registry.example.com/app", [], "https://registry.example.com"],
    ["127.0.0.1:5099/demo/hello:1", [], "http://127.0.0.1:5099"],
    ["127.200.3.4:80/app", [], "http://127.200.3.4:80"],
    ["localhost:5000/app", [], "http://localhost:5000"],
    ["[::1]:5000/app", [], "http://[::1]:5000"],
    ["mirror.lan:5000/app", ["mirror.lan:5000"], "http://mirror.lan:5000"],
    ["mirror.lan:5000/app", ["mirror.lan"], "http://mirror.lan:5000"],
    ["mirror.lan:5001/app", ["mirror.lan:5000"], "https://mirror.lan:5001"],
    ["128.0.0.1:5000/app", [], "https://128.0.0.1:5000"],
  ])("%s (insecure: %j) -> %s", (image, insecure, expected) => {
    expect(baseUrl(image, insecure)).toBe(expected);
  });
});

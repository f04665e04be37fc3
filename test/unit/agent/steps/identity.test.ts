import { describe, expect, it } from "vitest";
import { parseIdentityDocument, readIdentity } from "../../../../agent/steps/identity.js";

const doc = {
  accountId: "123456789012",
  availabilityZone: "us-east-1b",
  instanceId: "i-0123456789abcdef0",
  privateIp: "127.0.1.5",
  region: "us-east-1",
};

describe("identity", () => {
  it("reads the instance identity document", () => {
    expect(parseIdentityDocument(JSON.stringify(doc))).toEqual(doc);
  });

  it("names the missing field", () => {
    expect(() => parseIdentityDocument(JSON.stringify({ ...doc, region: "" }))).toThrow(
      "identity: the instance identity document has no region",
    );
  });

  it("says IMDS could not be reached", async () => {
    const imds = { request: async () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:80")) };
    await expect(readIdentity(imds)).rejects.toThrow(
      "identity: cannot read the instance identity document from IMDS: connect ECONNREFUSED 127.0.0.1:80",
    );
  });
});

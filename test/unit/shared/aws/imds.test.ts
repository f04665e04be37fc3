import { describe, expect, it } from "vitest";
import {
  IDENTITY_DOCUMENT_PATH,
  parseIdentityDocument,
  readHostVpc,
  readIdentity,
  type Imds,
} from "#shared/aws/imds.js";

const doc = {
  accountId: "123456789012",
  availabilityZone: "us-east-1b",
  instanceId: "i-0123456789abcdef0",
  privateIp: "127.0.1.5",
  region: "us-east-1",
};

/** An Imds answering from a path -> text map (anything else fails as the SDK does on a 404). */
const fakeImds = (paths: Record<string, string>): Imds & { asked: string[] } => {
  const asked: string[] = [];
  return {
    asked,
    request: async (path) => {
      asked.push(path);
      const text = paths[path];
      if (text === undefined) throw new Error("Request failed with status code 404");
      return text;
    },
  };
};

describe("identity", () => {
  it("reads the instance identity document", async () => {
    expect(parseIdentityDocument(JSON.stringify(doc))).toEqual(doc);
    const imds = fakeImds({ [IDENTITY_DOCUMENT_PATH]: JSON.stringify(doc) });
    await expect(readIdentity(imds)).resolves.toEqual(doc);
  });

  it("leaves out privateIp when the document has none", () => {
    const { privateIp: _, ...rest } = doc;
    expect(parseIdentityDocument(JSON.stringify(rest))).toEqual(rest);
  });

  it.each(["instanceId", "region", "availabilityZone", "accountId"])("names a missing %s", (key) => {
    expect(() => parseIdentityDocument(JSON.stringify({ ...doc, [key]: "" }))).toThrow(
      expect.objectContaining({
        code: "ImdsInvalid",
        message: `the instance identity document has no ${key}`,
      }),
    );
  });

  it("says when the document is not JSON", () => {
    expect(() => parseIdentityDocument("<html>")).toThrow(
      "the instance identity document is not JSON: <html>",
    );
  });

  it("says IMDS could not be reached", async () => {
    const imds = { request: async () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:80")) };
    await expect(readIdentity(imds)).rejects.toMatchObject({
      code: "ImdsUnavailable",
      message:
        "cannot read the instance identity document from IMDS (is this an EC2 instance?): connect ECONNREFUSED 127.0.0.1:80",
    });
  });
});

describe("host VPC", () => {
  const mac = "0e:00:00:00:00:07";
  const vpcPath = `/latest/meta-data/network/interfaces/macs/${mac}/vpc-id`;

  it("is the VPC of the primary interface's MAC", async () => {
    const imds = fakeImds({ "/latest/meta-data/mac": `${mac}\n`, [vpcPath]: "vpc-0abc123\n" });
    await expect(readHostVpc(imds)).resolves.toBe("vpc-0abc123");
    expect(imds.asked).toEqual(["/latest/meta-data/mac", vpcPath]);
  });

  it("refuses an answer that is not a VPC id", async () => {
    const imds = fakeImds({ "/latest/meta-data/mac": mac, [vpcPath]: "<html>" });
    await expect(readHostVpc(imds)).rejects.toMatchObject({
      code: "ImdsInvalid",
      message: 'IMDS answered an unexpected vpc-id "<html>"',
    });
  });
});

// The local region's policy evaluator: default deny, explicit deny wins, action and resource
// wildcards, policy variables, and the condition operators with IfExists and set qualifiers.
import { describe, expect, it } from "vitest";
import { conditionHolds, evaluate, type PolicyDocument, type Statement } from "../../../sim/auth/evaluate.js";

const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const VOL = "arn:aws:ec2:us-east-1:123456789012:volume/vol-1";
const ME = "arn:aws:ec2:us-east-1:123456789012:instance/i-1";
const req = (action: string, resource: string, keys = {}) => ({ action, resource, keys });

describe("statements", () => {
  it("denies by default, allows on a matching Allow, and an explicit Deny wins", () => {
    const allow = doc({ Effect: "Allow", Action: "ec2:*Volume", Resource: "arn:aws:ec2:*:*:volume/*" });
    expect(evaluate([], req("ec2:DeleteVolume", VOL))).toBe("implicit-deny");
    expect(evaluate([allow], req("ec2:DeleteVolume", VOL))).toBe("allow");
    expect(evaluate([allow], req("ec2:DeleteSnapshot", VOL))).toBe("implicit-deny");
    const deny = doc({ Effect: "Deny", Action: "ec2:DeleteVolume", Resource: "*" });
    expect(evaluate([allow, deny], req("ec2:DeleteVolume", VOL))).toBe("explicit-deny");
    expect(evaluate([allow, deny], req("ec2:AttachVolume", VOL))).toBe("allow");
  });

  it("compares actions case-insensitively and ARNs exactly, with ? and NotAction/NotResource", () => {
    expect(
      evaluate(
        [doc({ Effect: "Allow", Action: "EC2:deletevolume", Resource: "*" })],
        req("ec2:DeleteVolume", VOL),
      ),
    ).toBe("allow");
    expect(
      evaluate(
        [doc({ Effect: "Allow", Action: "*", Resource: "arn:aws:ec2:*:*:VOLUME/*" })],
        req("ec2:DeleteVolume", VOL),
      ),
    ).toBe("implicit-deny");
    expect(
      evaluate(
        [doc({ Effect: "Allow", Action: "*", Resource: "arn:aws:ec2:*:*:volume/vol-?" })],
        req("x:y", VOL),
      ),
    ).toBe("allow");
    const not = doc({ Effect: "Allow", NotAction: "ec2:Delete*", NotResource: "arn:aws:ec2:*:*:snapshot/*" });
    expect(evaluate([not], req("ec2:AttachVolume", VOL))).toBe("allow");
    expect(evaluate([not], req("ec2:DeleteVolume", VOL))).toBe("implicit-deny");
  });

  it("fills policy variables in Resource; an absent variable matches nothing", () => {
    const self = doc({ Effect: "Allow", Action: "ec2:AttachVolume", Resource: "${ec2:SourceInstanceARN}" });
    expect(evaluate([self], req("ec2:AttachVolume", ME, { "ec2:SourceInstanceARN": ME }))).toBe("allow");
    expect(
      evaluate([self], req("ec2:AttachVolume", ME.replace("i-1", "i-2"), { "ec2:SourceInstanceARN": ME })),
    ).toBe("implicit-deny");
    expect(evaluate([self], req("ec2:AttachVolume", ME))).toBe("implicit-deny");
  });
});

describe("conditions", () => {
  const keys = {
    "aws:ResourceTag/owner": ME,
    "aws:TagKeys": ["a", "b"],
    "ec2:CreateAction": "CreateVolume",
    "aws:SecureTransport": "true",
  };
  const holds = (op: string, key: string, v: string | string[]) => conditionHolds(op, key, v, keys);

  it("string operators, with variables in values and case-insensitive key names", () => {
    expect(holds("StringEquals", "aws:resourcetag/owner", ME)).toBe(true);
    expect(
      conditionHolds("StringEquals", "aws:ResourceTag/owner", "${ec2:SourceInstanceARN}", {
        ...keys,
        "ec2:SourceInstanceARN": ME,
      }),
    ).toBe(true);
    expect(conditionHolds("StringEquals", "aws:ResourceTag/owner", "${ec2:SourceInstanceARN}", keys)).toBe(
      false,
    );
    expect(holds("StringEquals", "ec2:CreateAction", ["RunInstances", "CreateVolume"])).toBe(true);
    expect(holds("StringNotEquals", "ec2:CreateAction", "CreateVolume")).toBe(false);
    expect(holds("StringLike", "ec2:CreateAction", "Create*")).toBe(true);
    expect(holds("StringNotLike", "ec2:CreateAction", "Run*")).toBe(true);
    expect(holds("StringEqualsIgnoreCase", "ec2:CreateAction", "createvolume")).toBe(true);
    expect(holds("Bool", "aws:SecureTransport", "true")).toBe(true);
  });

  it("a variable's own wildcards, and ${*}, match only themselves", () => {
    expect(conditionHolds("StringLike", "k", "a${*}", { k: "a*" })).toBe(true);
    expect(conditionHolds("StringLike", "k", "a${*}", { k: "ab" })).toBe(false);
    const k = { "aws:ResourceTag/owner": "abc", "aws:PrincipalTag/x": "a*" };
    expect(conditionHolds("StringLike", "aws:ResourceTag/owner", "${aws:PrincipalTag/x}", k)).toBe(false);
    expect(conditionHolds("StringLike", "aws:ResourceTag/owner", "a*", k)).toBe(true);
  });

  it("ARN operators compare the six fields with wildcards", () => {
    expect(holds("ArnLike", "aws:ResourceTag/owner", "arn:aws:ec2:*:*:instance/*")).toBe(true);
    expect(holds("ArnEquals", "aws:ResourceTag/owner", "arn:aws:ec2:*:*:volume/*")).toBe(false);
    expect(holds("ArnNotLike", "aws:ResourceTag/owner", "arn:aws:ec2:*:*:volume/*")).toBe(true);
  });

  it("absent keys: positive operators fail, negated ones and IfExists hold, Null tells", () => {
    expect(holds("StringEquals", "aws:RequestTag/x", "1")).toBe(false);
    expect(holds("StringNotEquals", "aws:RequestTag/x", "1")).toBe(true);
    expect(holds("StringEqualsIfExists", "aws:RequestTag/x", "1")).toBe(true);
    expect(holds("StringEqualsIfExists", "ec2:CreateAction", "RunInstances")).toBe(false);
    expect(holds("Null", "aws:RequestTag/x", "true")).toBe(true);
    expect(holds("Null", "ec2:CreateAction", "false")).toBe(true);
    expect(holds("Null", "ec2:CreateAction", "true")).toBe(false);
  });

  it("set qualifiers over multi-valued keys", () => {
    expect(holds("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b", "c"])).toBe(true);
    expect(holds("ForAllValues:StringEquals", "aws:TagKeys", ["a"])).toBe(false);
    expect(holds("ForAllValues:StringEquals", "aws:Absent", ["a"])).toBe(true);
    expect(holds("ForAnyValue:StringEquals", "aws:TagKeys", ["b", "z"])).toBe(true);
    expect(holds("ForAnyValue:StringEquals", "aws:TagKeys", ["z"])).toBe(false);
    expect(holds("ForAnyValue:StringEquals", "aws:Absent", ["z"])).toBe(false);
  });

  it("every key of every operator must hold; an unknown operator never holds", () => {
    const both = doc({
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: "*",
      Condition: {
        StringEquals: { "ec2:CreateAction": "CreateVolume", "aws:ResourceTag/owner": ME },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] },
      },
    });
    expect(evaluate([both], req("ec2:CreateTags", VOL, keys))).toBe("allow");
    expect(evaluate([both], req("ec2:CreateTags", VOL, { ...keys, "aws:TagKeys": ["a", "q"] }))).toBe(
      "implicit-deny",
    );
    expect(holds("NumericEquals", "ec2:CreateAction", "1")).toBe(false);
  });
});

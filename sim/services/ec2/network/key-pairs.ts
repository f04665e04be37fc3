// CreateKeyPair (real keys: the private key is returned once, the public key kept for full
// instances), ImportKeyPair, DescribeKeyPairs, DeleteKeyPair.
import { SimError } from "../../../api/errors.js";
import type { XmlValue } from "../../../api/xml.js";
import { newId } from "../../../state/ids.js";
import type { KeyPair } from "../../../state/types.js";
import { applyFilters, readFilters, type FilterTable } from "../../common/filters.js";
import {
  checkEc2Tags,
  checkTagSpecificationTypes,
  ec2TagSet,
  readTagSpecifications,
  tagsFor,
} from "../../common/tags.js";
import type { Ec2Op } from "../context.js";
import { keyPairNotFound } from "../errors.js";
import { generateKeyMaterial, parseOpenSshPublicKey } from "./ssh-keys.js";

function checkNewName(keyName: string, existing: Map<string, KeyPair>): void {
  if (keyName.length > 255)
    throw new SimError("InvalidParameterValue", "Key name must be at most 255 characters");
  if (existing.has(keyName))
    throw new SimError("InvalidKeyPair.Duplicate", `The keypair '${keyName}' already exists.`);
}

function readTags(params: Parameters<Ec2Op>[0]["params"]): Record<string, string> {
  const specs = readTagSpecifications(params);
  checkTagSpecificationTypes(specs, ["key-pair"]);
  const tags = tagsFor(specs, "key-pair");
  checkEc2Tags(tags);
  return tags;
}

export const createKeyPair: Ec2Op = ({ region, params }, ec2) => {
  const keyName = params.req("KeyName");
  checkNewName(keyName, region.keyPairs);
  const keyType = params.str("KeyType") ?? "rsa";
  if (keyType !== "rsa" && keyType !== "ed25519")
    throw new SimError(
      "InvalidParameterValue",
      `Value (${keyType}) for parameter KeyType is invalid. Valid values: rsa, ed25519`,
    );
  if ((params.str("KeyFormat") ?? "pem") !== "pem")
    throw new SimError("InvalidParameterValue", "Only the pem key format is available in this region");
  const tags = readTags(params);
  const material = generateKeyMaterial(keyType, keyName);
  const key: KeyPair = {
    keyPairId: newId("key"),
    keyName,
    keyFingerprint: material.fingerprint,
    publicKey: material.publicKey,
    createTime: ec2.now(),
    tags,
    keyType,
  };
  region.keyPairs.set(keyName, key);
  return {
    keyName,
    keyFingerprint: key.keyFingerprint,
    keyMaterial: material.privateKey,
    keyPairId: key.keyPairId,
    tagSet: ec2TagSet(tags),
  };
};

export const importKeyPair: Ec2Op = ({ region, params }, ec2) => {
  const keyName = params.req("KeyName");
  checkNewName(keyName, region.keyPairs);
  const material = Buffer.from(params.req("PublicKeyMaterial"), "base64").toString("utf8");
  const parsed = parseOpenSshPublicKey(material);
  if (!parsed) throw new SimError("InvalidKey.Format", "Key is not in valid OpenSSH public key format");
  const tags = readTags(params);
  const key: KeyPair = {
    keyPairId: newId("key"),
    keyName,
    keyFingerprint: parsed.fingerprint,
    publicKey: parsed.publicKey,
    createTime: ec2.now(),
    tags,
    keyType: parsed.keyType,
  };
  region.keyPairs.set(keyName, key);
  return { keyFingerprint: key.keyFingerprint, keyName, keyPairId: key.keyPairId, tagSet: ec2TagSet(tags) };
};

const KEY_FILTERS: FilterTable<KeyPair> = {
  tags: (k) => k.tags,
  fields: {
    "key-pair-id": (k) => k.keyPairId,
    "key-name": (k) => k.keyName,
    fingerprint: (k) => k.keyFingerprint,
    "key-type": (k) => k.keyType,
  },
};

export const describeKeyPairs: Ec2Op = ({ region, params }) => {
  const names = params.strings("KeyName");
  const ids = params.strings("KeyPairId");
  const all = [...region.keyPairs.values()];
  for (const name of names) if (!region.keyPairs.has(name)) throw keyPairNotFound(name);
  for (const id of ids)
    if (!all.some((k) => k.keyPairId === id))
      throw new SimError("InvalidKeyPair.NotFound", `The key pair ID '${id}' does not exist`);
  const wanted =
    names.length || ids.length
      ? all.filter((k) => names.includes(k.keyName) || ids.includes(k.keyPairId))
      : all;
  const includePublic = params.bool("IncludePublicKey") ?? false;
  return {
    keySet: applyFilters(wanted, readFilters(params), KEY_FILTERS).map((k): XmlValue => ({
      keyPairId: k.keyPairId,
      keyType: k.keyType ?? "rsa",
      tagSet: ec2TagSet(k.tags),
      publicKey: includePublic ? k.publicKey : undefined,
      keyName: k.keyName,
      keyFingerprint: k.keyFingerprint,
      createTime: k.createTime,
    })),
  };
};

export const deleteKeyPair: Ec2Op = ({ region, params }) => {
  const name = params.str("KeyName");
  const id = params.str("KeyPairId");
  if (!name && !id)
    throw new SimError("MissingParameter", "The request must contain the parameter KeyName or KeyPairId");
  const key = name
    ? region.keyPairs.get(name)
    : [...region.keyPairs.values()].find((k) => k.keyPairId === id);
  // Deleting a key pair that does not exist succeeds, as in EC2.
  if (key) region.keyPairs.delete(key.keyName);
  return { return: true, keyPairId: key?.keyPairId };
};

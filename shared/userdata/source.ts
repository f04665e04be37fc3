// Where user_data comes from (docs/spec/deploy.md#user-data): literal text, or an S3 object read
// only when a new launch configuration/template is created (the read itself belongs to the deploy path).

export type UserDataSource = { kind: "text"; text: string } | { kind: "s3"; bucket: string; key: string };

/** The configured `user_data` value (a string or `{s3: "bucket/key"}`) as a source. */
export function userDataSource(value: string | { s3: string }): UserDataSource {
  if (typeof value === "string") return { kind: "text", text: value };
  const slash = value.s3.indexOf("/");
  return { kind: "s3", bucket: value.s3.slice(0, slash), key: value.s3.slice(slash + 1) };
}

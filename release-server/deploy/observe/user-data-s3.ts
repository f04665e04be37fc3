// user_data `{s3: "bucket/key"}` (docs/spec/deploy.md#user-data-s3): read only when new launch settings are
// made, with the credentials asg-release runs with. Fills the plan's
// create actions with the rendered text before anything is changed.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { awsSend } from "#shared/aws/call.js";
import type { AwsClients } from "#shared/aws/clients.js";
import { AsgReleaseError } from "#shared/errors.js";
import { renderUserData } from "#shared/userdata/render.js";
import type { Action, Plan } from "../actions.js";

export type ObjectReader = (bucket: string, key: string) => Promise<string>;

export function s3Reader(aws: AwsClients): ObjectReader {
  return async (bucket, key) => {
    const out = await awsSend(aws.s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      object: `s3://${bucket}/${key}`,
    });
    return (await out.Body?.transformToString("utf8")) ?? "";
  };
}

// An object the setting names but that cannot be read is bad input, reported like a subnet that does
// not resolve (exit 2, before any change); throttling or a network failure stays an operation failure.
const unreadable: Record<string, string> = {
  NoSuchKey: "no such object",
  NoSuchBucket: "no such bucket",
  AccessDenied: "access denied with the credentials asg-release runs with",
};

export async function materialiseUserData(plan: Plan, read: ObjectReader): Promise<Plan> {
  const cache = new Map<string, Promise<string>>();
  const problems: string[] = [];
  const warnings: string[] = [];
  const fill = async (a: Action): Promise<Action> => {
    if ((a.kind !== "createLaunchTemplate" && a.kind !== "createLaunchConfiguration") || !a.pendingUserData)
      return a;
    const p = a.pendingUserData;
    const where = `${p.bucket}/${p.key}`;
    if (!cache.has(where)) cache.set(where, read(p.bucket, p.key));
    let text: string;
    try {
      text = await cache.get(where)!;
    } catch (err) {
      const why = err instanceof AsgReleaseError ? unreadable[err.code] : undefined;
      if (why === undefined) throw err;
      const problem = `user_data s3://${where}: ${why} (${(err as AsgReleaseError).code})`;
      if (!problems.includes(problem)) problems.push(problem);
      return a;
    }
    const rendered = renderUserData({ ...p, userData: text });
    if (!rendered.ok) {
      problems.push(`${a.component}: user_data from s3://${where}: ${rendered.problem}`);
      return a;
    }
    warnings.push(...rendered.warnings.map((w) => `${a.component}: ${w}`));
    const { pendingUserData: _done, ...rest } = a;
    return { ...rest, data: { ...a.data, userData: rendered.text } };
  };
  const changes = [];
  for (const change of plan.changes) {
    const actions = [];
    for (const a of change.actions) actions.push(await fill(a));
    changes.push({ ...change, actions });
  }
  return {
    ...plan,
    changes,
    problems: [...plan.problems, ...problems],
    warnings: [...new Set([...plan.warnings, ...warnings])],
  };
}

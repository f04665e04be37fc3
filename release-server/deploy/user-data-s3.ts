// Seed 000, user_data `{s3: "bucket/key"}`: "the data retrieval will be performed only when a new
// launch config is being created", with the credentials asg-release runs with. Fills the plan's
// create actions with the rendered text before anything is changed.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { AwsClients } from "../../shared/aws/clients.js";
import { renderUserData } from "../../shared/userdata/render.js";
import type { Action, Plan } from "./actions.js";
import { awsCall } from "./aws-call.js";

export type ObjectReader = (bucket: string, key: string) => Promise<string>;

export function s3Reader(aws: AwsClients): ObjectReader {
  return async (bucket, key) => {
    const out = await awsCall("GetObject", { object: `s3://${bucket}/${key}` }, () =>
      aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
    );
    return (await out?.Body?.transformToString("utf8")) ?? "";
  };
}

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
    const rendered = renderUserData({ ...p, userData: await cache.get(where)! });
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

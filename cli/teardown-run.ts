// What `asg-release teardown` does (cli/teardown.ts declares it): observe the project's release
// resources with describes only, plan (release-server/teardown/plan.ts), print the plan, confirm,
// then delete item by item. One failed deletion does not stop the others; already-gone counts as
// deleted. Runs with the operator's credentials. Loaded by the command's action only (SDK clients).
import {
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type Filter,
  type Snapshot,
  type Volume,
} from "@aws-sdk/client-ec2";
import { DeleteObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { createInterface } from "node:readline/promises";
import { awsSend } from "#shared/aws/call.js";
import { createAwsClients, resolveRegion, type AwsClients } from "#shared/aws/clients.js";
import { AsgReleaseError, ConfigError, messageOf } from "#shared/errors.js";
import {
  MANAGED_BY_AGENT,
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  RELEASE_ID_TAG,
  ROLE_RELEASE_VOLUME,
  ROLE_ROLLBACK_SOURCE,
  ROLE_TAG,
} from "#shared/release/tags.js";
import {
  formatPlan,
  planTeardown,
  type ObservedPointer,
  type ObservedVolume,
  type TeardownItem,
  type TeardownObservation,
  type TeardownPlan,
} from "../release-server/teardown/plan.js";
import type { TeardownOptions } from "./teardown.js";

export interface TeardownOutcome {
  deleted: TeardownItem[];
  failed: (TeardownItem & { error: string })[];
}

export async function runTeardown(opts: TeardownOptions): Promise<void> {
  const pointer = opts.pointerS3 === undefined ? undefined : parsePointer(opts.pointerS3);
  const { region } = await resolveRegion(opts.region, process.env);
  const aws = createAwsClients({ region });
  try {
    const plan = planTeardown(await observe(aws, opts.project, region, pointer));
    const show = (outcome?: TeardownOutcome) => {
      if (opts.json) process.stdout.write(`${JSON.stringify({ plan, ...outcome })}\n`);
    };
    if (!opts.json) process.stdout.write(`${formatPlan(plan).join("\n")}\n`);
    if (plan.refused) {
      show();
      throw new AsgReleaseError(`refusing to tear down ${opts.project}: ${plan.refused}`, { exitCode: 1 });
    }
    if (plan.delete.length === 0) {
      show({ deleted: [], failed: [] });
      return;
    }
    await confirm(opts, plan, show);
    const outcome = await execute(aws, plan);
    show(outcome);
    if (!opts.json) {
      for (const i of outcome.deleted) process.stdout.write(`deleted ${i.kind} ${i.id}\n`);
      for (const i of outcome.failed) process.stdout.write(`failed  ${i.kind} ${i.id}: ${i.error}\n`);
      for (const i of plan.left) process.stdout.write(`left    ${i.kind} ${i.id}: ${i.reason}\n`);
      process.stdout.write(`${outcome.deleted.length} deleted, ${outcome.failed.length} failed\n`);
    }
    if (outcome.failed.length > 0) process.exitCode = 1;
  } finally {
    aws.destroy();
  }
}

/** `bucket/key` into its parts; the key may hold slashes. */
function parsePointer(value: string): { bucket: string; key: string } {
  const s = value.replace(/^s3:\/\//, "");
  const slash = s.indexOf("/");
  if (slash <= 0 || slash === s.length - 1)
    throw new ConfigError([], `--pointer-s3: expected BUCKET/KEY, got ${JSON.stringify(value)}`);
  return { bucket: s.slice(0, slash), key: s.slice(slash + 1) };
}

/** --yes, or the project's name typed on a terminal; nothing was changed before this returns. */
async function confirm(
  opts: TeardownOptions,
  plan: TeardownPlan,
  show: (o?: TeardownOutcome) => void,
): Promise<void> {
  if (opts.yes) return;
  show();
  if (!process.stdin.isTTY)
    throw new AsgReleaseError("refusing without --yes: no terminal to confirm on; nothing was deleted", {
      exitCode: 2,
    });
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `Delete the ${plan.delete.length} item(s) above? Type the project name (${plan.project}) to confirm: `,
    );
    if (answer.trim() !== plan.project)
      throw new AsgReleaseError("not confirmed; nothing was deleted", { exitCode: 1 });
  } finally {
    rl.close();
  }
}

async function observe(
  aws: AwsClients,
  project: string,
  region: string,
  pointer: { bucket: string; key: string } | undefined,
): Promise<TeardownObservation> {
  const ours = (managedBy: string): Filter[] => [
    { Name: `tag:${PROJECT_TAG}`, Values: [project] },
    { Name: `tag:${MANAGED_BY_TAG}`, Values: [managedBy] },
  ];
  const serverVolumes = await describeVolumes(aws, ours(MANAGED_BY_SERVER));
  const agentVolumes = await describeVolumes(aws, ours(MANAGED_BY_AGENT));
  const volumes: ObservedVolume[] = [];
  for (const [v, agent] of [
    ...serverVolumes.map((v) => [v, false] as const),
    ...agentVolumes.map((v) => [v, true] as const),
  ]) {
    const role = tag(v.Tags, ROLE_TAG);
    const attachedTo = v.Attachments?.find((a) => a.InstanceId)?.InstanceId;
    volumes.push({
      id: v.VolumeId!,
      sizeGiB: v.Size ?? 0,
      state: v.State ?? "unknown",
      role: agent
        ? "agent"
        : role === ROLE_RELEASE_VOLUME
          ? "release-volume"
          : role === ROLE_ROLLBACK_SOURCE
            ? "rollback-source"
            : "server",
      ...(attachedTo ? { attachedTo, instanceState: await instanceState(aws, attachedTo) } : {}),
    });
  }
  const snapshots = (await describeSnapshots(aws, ours(MANAGED_BY_SERVER))).map((s) => ({
    id: s.SnapshotId!,
    sizeGiB: s.VolumeSize ?? 0,
    ...(tag(s.Tags, RELEASE_ID_TAG) ? { releaseId: tag(s.Tags, RELEASE_ID_TAG)! } : {}),
  }));
  return {
    project,
    region,
    volumes,
    snapshots,
    ...(pointer ? { pointer: await observePointer(aws, pointer) } : {}),
  };
}

const tag = (tags: { Key?: string; Value?: string }[] | undefined, key: string) =>
  tags?.find((t) => t.Key === key)?.Value;

async function describeVolumes(aws: AwsClients, filters: Filter[]): Promise<Volume[]> {
  const out: Volume[] = [];
  let token: string | undefined;
  do {
    const page = await awsSend(aws.ec2, new DescribeVolumesCommand({ Filters: filters, NextToken: token }));
    out.push(...(page.Volumes ?? []));
    token = page.NextToken;
  } while (token);
  return out.filter((v) => v.State !== "deleting" && v.State !== "deleted");
}

async function describeSnapshots(aws: AwsClients, filters: Filter[]): Promise<Snapshot[]> {
  const out: Snapshot[] = [];
  let token: string | undefined;
  do {
    const page = await awsSend(
      aws.ec2,
      new DescribeSnapshotsCommand({ OwnerIds: ["self"], Filters: filters, NextToken: token }),
    );
    out.push(...(page.Snapshots ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

/** The instance's state; "terminated" when EC2 no longer knows it. */
async function instanceState(aws: AwsClients, instanceId: string): Promise<string> {
  const out = await awsSend(
    aws.ec2,
    new DescribeInstancesCommand({ InstanceIds: [instanceId] }),
    { instanceId },
    (code) => code === "InvalidInstanceID.NotFound",
  );
  return out?.Reservations?.[0]?.Instances?.[0]?.State?.Name ?? "terminated";
}

async function observePointer(aws: AwsClients, p: { bucket: string; key: string }): Promise<ObservedPointer> {
  const head = await awsSend(
    aws.s3,
    new HeadObjectCommand({ Bucket: p.bucket, Key: p.key }),
    { bucket: p.bucket, key: p.key },
    (code) => code === "NotFound" || code === "NoSuchKey" || code === "NoSuchBucket",
  );
  return { ...p, exists: head !== undefined };
}

async function execute(aws: AwsClients, plan: TeardownPlan): Promise<TeardownOutcome> {
  const outcome: TeardownOutcome = { deleted: [], failed: [] };
  for (const item of plan.delete) {
    try {
      await remove(aws, item);
      outcome.deleted.push(item);
    } catch (err) {
      outcome.failed.push({ ...item, error: messageOf(err) });
    }
  }
  return outcome;
}

async function remove(aws: AwsClients, item: TeardownItem): Promise<void> {
  if (item.kind === "volume")
    await awsSend(
      aws.ec2,
      new DeleteVolumeCommand({ VolumeId: item.id }),
      { volumeId: item.id },
      (code) => code === "InvalidVolume.NotFound",
    );
  else if (item.kind === "snapshot")
    await awsSend(
      aws.ec2,
      new DeleteSnapshotCommand({ SnapshotId: item.id }),
      { snapshotId: item.id },
      (code) => code === "InvalidSnapshot.NotFound",
    );
  else {
    const { bucket, key } = parsePointer(item.id);
    await awsSend(
      aws.s3,
      new DeleteObjectCommand({ Bucket: bucket, Key: key }),
      { bucket, key },
      (code) => code === "NoSuchKey" || code === "NoSuchBucket",
    );
  }
}

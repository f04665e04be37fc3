// Text the CLI prints: the per-instance table and the status summary. Pure, so it is tested as text.
import type { StatusReport } from "../release-server/api/status.js";
import type { MemberOutcome, PublishReport } from "../release-server/publish/report.js";

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

export function membersTable(members: readonly MemberOutcome[]): string {
  if (members.length === 0) return "no members in the target groups";
  return table(
    ["INSTANCE", "ASG", "ADDRESS", "RELEASE", "STATUS", "REASON"],
    members.map((m) => [
      m.instanceId,
      m.asg,
      m.privateIp ?? "-",
      m.releaseId ?? "-",
      m.status,
      m.reason ?? "",
    ]),
  );
}

export function publishSummary(r: PublishReport): string {
  const stragglers = r.members.filter((m) => m.status === "straggler").length;
  const seconds = (r.durationMs / 1000).toFixed(1);
  if (r.result === "failed") return `publish failed after ${seconds} s: ${r.error ?? "unknown error"}`;
  if (r.pinned) return `not published: ${r.pinned}`;
  const what =
    r.result === "unchanged"
      ? `nothing to publish: the tree is release ${r.releaseId}, checked`
      : `published release ${r.releaseId} (snapshot ${r.snapshotId})`;
  const fleet =
    stragglers === 0
      ? `${r.members.length} member(s) on it`
      : `${r.members.length - stragglers} of ${r.members.length} member(s) on it, ${stragglers} straggler(s) retried on the next cycle`;
  return `${what} in ${seconds} s; ${fleet}`;
}

export function statusText(s: StatusReport): string {
  const lines = [`project ${s.project}`];
  if (s.current) {
    lines.push(
      `current release ${s.current.releaseId}: snapshot ${s.current.snapshotId}, tree ${s.current.treeHash.slice(0, 12)}, made ${s.current.time}${s.current.rollback ? " (a rollback)" : ""}`,
    );
  } else lines.push("no release published yet");
  // Older servers send no pinned field.
  if (s.pinned) lines.push(`pinned since ${s.pinned.at}: ${s.pinned.message}`);
  if (s.publishing) lines.push("a publish is running");
  if (s.lastPublish) lines.push(`last publish: ${publishSummary(s.lastPublish)}`);
  lines.push(s.checkedAt ? `members as checked at ${s.checkedAt}:` : "members not checked yet");
  if (s.checkedAt) lines.push(membersTable(s.members));
  if (s.stragglers.length > 0)
    lines.push(`${s.stragglers.length} straggler(s): ${s.stragglers.map((m) => m.instanceId).join(", ")}`);
  // Older servers send no housekeeping field.
  for (const f of s.housekeeping?.failures ?? [])
    lines.push(
      `housekeeping ${f.step}${f.item ? ` ${f.item}` : ""} failed at ${s.housekeeping?.at}: ${f.error}`,
    );
  return `${lines.join("\n")}\n`;
}

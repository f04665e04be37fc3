// The status file (/run/asg-release/status.json): what the last boot did and where it stands, for
// `asg-release-agent status`, for operators and for tests. Written atomically at every step; under
// /run, so a reboot starts from nothing, as the agent itself does (state lives in AWS and the mounts).
// Only root reads it (0600 in a 0700 directory): failure reasons can name hosts, images and paths.
import { mkdir, readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { AsgReleaseError } from "#shared/errors.js";
import { writeFileAtomic } from "#shared/fs/atomic-write.js";

export const DEFAULT_STATUS_FILE = "/run/asg-release/status.json";

export interface StepRecord {
  name: string;
  outcome: "done" | "failed";
  durationMs: number;
  detail?: string;
}

export interface AgentStatus {
  state: "booting" | "ready" | "failed";
  startedAt: string;
  updatedAt: string;
  version: string;
  /** The step running, or the one that failed. */
  step?: string;
  reason?: string;
  exitCode?: number;
  instanceId?: string;
  releaseId?: string;
  snapshotId?: string;
  pointerSource?: string;
  volumeId?: string;
  device?: string;
  mountPath?: string;
  image?: string;
  container?: string;
  lifecycle?: string;
  warnings: string[];
  steps: StepRecord[];
}

export async function writeStatus(file: string, status: AgentStatus): Promise<void> {
  // The mode applies only when the directory is made: an existing one keeps its own.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(status, null, 2)}\n`, 0o600);
}

export async function readStatus(file: string): Promise<AgentStatus | undefined> {
  const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return undefined;
    if (err.code === "EACCES") {
      throw new AsgReleaseError(`cannot read ${file}: only root may read the status file (try sudo)`, {
        code: "StatusUnreadable",
      });
    }
    throw err;
  });
  return text === undefined ? undefined : (JSON.parse(text) as AgentStatus);
}

/** The status for a person: a headline, the facts that are known, then the steps with durations. */
export function formatStatus(s: AgentStatus): string {
  const head =
    s.state === "ready"
      ? `ready: release ${s.releaseId ?? "?"}`
      : s.state === "failed"
        ? `failed in step ${s.step ?? "?"}: ${s.reason ?? "unknown reason"}`
        : `booting: step ${s.step ?? "?"}`;
  const facts: [string, string | undefined][] = [
    ["instance", s.instanceId],
    ["release", s.releaseId],
    ["snapshot", s.snapshotId],
    ["pointer from", s.pointerSource],
    ["volume", s.volumeId && `${s.volumeId}${s.device ? ` (${s.device})` : ""}`],
    ["mounted at", s.mountPath],
    ["container", s.container && `${s.container} ${s.image ?? ""}`.trim()],
    ["lifecycle", s.lifecycle],
    ["updated", s.updatedAt],
  ];
  const lines = [head, ...facts.filter(([, v]) => v).map(([k, v]) => `  ${`${k}:`.padEnd(14)}${v}`)];
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  if (s.steps.length) {
    lines.push("  steps:");
    for (const st of s.steps) {
      lines.push(
        `    ${st.name.padEnd(10)} ${st.outcome.padEnd(6)} ${String(st.durationMs).padStart(6)} ms${st.detail ? `  ${st.detail}` : ""}`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

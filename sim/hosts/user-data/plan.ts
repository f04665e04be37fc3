// Orders what user-data asks for into the stages cloud-init would run: boothooks, bootcmd,
// write_files, deferred write_files, then the user scripts and runcmd in file-name order (cloud-init
// runs /var/lib/cloud/instance/scripts/* sorted, and runcmd is one of them).
import { commandScript, parseCloudConfig, writeFilesScript, type CloudConfig } from "./cloud-config.js";
import { decodeUserData } from "./decode.js";

export interface BootStage {
  name: string;
  script: Buffer;
  /** "exec" runs the file itself (its #! line decides); "sh" runs it with /bin/sh. */
  run: "exec" | "sh";
  /**
   * "init": cloud-init.service (boothooks, bootcmd, write_files), before the units of
   * multi-user.target start; "final": cloud-final.service, ordered after multi-user.target.
   */
  phase: "init" | "final";
}

export interface BootPlan {
  stages: BootStage[];
  /** Parts and keys the sim ignores, for the console log. */
  notes: string[];
}

const stage = (
  name: string,
  script: string | Buffer,
  run: BootStage["run"],
  phase: BootStage["phase"] = "init",
): BootStage => ({
  name,
  script: Buffer.isBuffer(script) ? script : Buffer.from(script),
  run,
  phase,
});

function merge(configs: CloudConfig[]): CloudConfig {
  return {
    bootcmd: configs.flatMap((c) => c.bootcmd),
    writeFiles: configs.flatMap((c) => c.writeFiles),
    runcmd: configs.flatMap((c) => c.runcmd),
    ignoredKeys: [...new Set(configs.flatMap((c) => c.ignoredKeys))],
  };
}

/**
 * Throws (with the cloud-config key path) when a cloud-config part cannot be interpreted.
 * `everyBootOnly`: a later boot of the same instance, where cloud-init runs the boothooks and
 * bootcmd again (they run on every boot) but not write_files, runcmd or user scripts, which run
 * once per instance.
 */
export function planUserData(userData: Buffer | undefined, opts: { everyBootOnly?: boolean } = {}): BootPlan {
  const parts = userData ? decodeUserData(userData) : [];
  const notes: string[] = [];
  const configs: CloudConfig[] = [];
  const boothooks: BootStage[] = [];
  const scripts: BootStage[] = [];
  for (const p of parts) {
    if (p.kind === "ignored") notes.push(`${p.name}: ${p.reason ?? "ignored"}`);
    if (p.kind === "cloud-config") configs.push(parseCloudConfig(p.content.toString()));
    if (p.kind === "script") scripts.push(stage(p.name, p.content, "exec", "final"));
    // A boothook's first line is "#cloud-boothook"; the rest is the script.
    if (p.kind === "boothook")
      boothooks.push(stage(`boothook-${p.name}`, p.content.toString().replace(/^.*\r?\n/, ""), "sh"));
  }
  const cc = merge(configs);
  if (cc.ignoredKeys.length > 0)
    notes.push(`cloud-config keys not interpreted by the sim: ${cc.ignoredKeys.join(", ")}`);
  const stages = [...boothooks];
  if (cc.bootcmd.length > 0) stages.push(stage("bootcmd", commandScript(cc.bootcmd), "sh"));
  if (opts.everyBootOnly) return { stages, notes };
  const now = cc.writeFiles.filter((f) => !f.defer);
  const deferred = cc.writeFiles.filter((f) => f.defer);
  if (now.length > 0) stages.push(stage("write_files", writeFilesScript(now), "sh"));
  if (deferred.length > 0)
    stages.push(stage("write_files_deferred", writeFilesScript(deferred), "sh", "final"));
  if (cc.runcmd.length > 0) scripts.push(stage("runcmd", commandScript(cc.runcmd), "sh", "final"));
  scripts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { stages: [...stages, ...scripts], notes };
}

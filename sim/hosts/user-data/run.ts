// Runs a host's user-data stages one after the other, as cloud-init does at boot: each stage
// is a file in the host's boot dir, its output goes to the console log, and a failed stage does not
// stop the next ones (cloud-init reports the failure and carries on).
import { appendFile, chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { UserDataResult, UserDataStageResult } from "../driver.js";
import { planUserData, type BootPlan } from "./plan.js";

export interface StageRunner {
  logged(argv: string[], logPath: string): Promise<number | null>;
}

const say = (path: string, line: string): Promise<void> =>
  appendFile(path, `[sim ${new Date().toISOString()}] ${line}\n`);

export async function runUserData(
  userData: Buffer | undefined,
  runner: StageRunner,
  paths: { bootDir: string; consoleLog: string },
  opts: {
    everyBootOnly?: boolean;
    /** Runs between cloud-init's init stages and its final stage: where the boot's units start. */
    afterInit?: () => Promise<void>;
  } = {},
): Promise<UserDataResult> {
  const started = Date.now();
  let plan: BootPlan;
  try {
    plan = planUserData(userData, opts);
  } catch (e) {
    const error = `user-data not run: ${(e as Error).message}`;
    await say(paths.consoleLog, error);
    return { ok: false, stages: [], error };
  }
  for (const note of plan.notes) await say(paths.consoleLog, `user-data: ${note}`);
  await mkdir(paths.bootDir, { recursive: true });
  const stages: UserDataStageResult[] = [];
  let unitsStarted = false;
  const startUnits = async (): Promise<void> => {
    if (unitsStarted || !opts.afterInit) return;
    unitsStarted = true;
    await opts.afterInit().catch((e: Error) => say(paths.consoleLog, `units not started: ${e.message}`));
  };
  for (const [i, stage] of plan.stages.entries()) {
    if (stage.phase === "final") await startUnits();
    const file = join(
      paths.bootDir,
      `${String(i).padStart(2, "0")}-${stage.name.replace(/[^A-Za-z0-9._-]/g, "_")}`,
    );
    await writeFile(file, stage.script);
    await chmod(file, 0o755);
    await say(paths.consoleLog, `user-data: running ${stage.name}`);
    const code = await runner.logged(stage.run === "exec" ? [file] : ["/bin/sh", file], paths.consoleLog);
    const exitCode = code ?? -1;
    stages.push({ name: stage.name, exitCode });
    await say(
      paths.consoleLog,
      `user-data: ${stage.name} ${exitCode === 0 ? "done" : `failed (exit ${exitCode})`}`,
    );
  }
  await startUnits();
  const seconds = ((Date.now() - started) / 1000).toFixed(2);
  await appendFile(
    paths.consoleLog,
    `Cloud-init v. sim finished at ${new Date().toUTCString()}. Datasource DataSourceEc2.  Up ${seconds} seconds\n`,
  );
  return { ok: stages.every((s) => s.exitCode === 0), stages };
}

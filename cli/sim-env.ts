// The shell lines that point the AWS CLI and SDKs at a local region (`eval "$(asg-release sim
// status)"`), and where `sim status` looks for a region. Pure, so the lines are tested as text.

/** The local region's fixed credentials (sim/index.ts SIM_CREDENTIALS; any signature is accepted). */
export const SIM_ACCESS_KEY_ID = "AKIASIMLOCALREGION01";
export const SIM_SECRET_ACCESS_KEY = "sim-local-region-secret-key";

/** The environment that points AWS SDKs and the AWS CLI at the region at `endpoint`. */
export function simEnv(endpoint: string, region = "us-east-1"): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: SIM_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: SIM_SECRET_ACCESS_KEY,
  };
}

/** `export K='V'` lines, quoted for any POSIX shell. */
export function exportLines(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `export ${k}=${/^[\w./:@%+=,-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`}\n`)
    .join("");
}

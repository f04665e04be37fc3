// pino JSON logs with fixed field names (docs/design.md#log-fields), secrets redacted, and logOp for
// the start, finish and failure lines of an operation, with its duration.
import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger };

/** The field names every log line uses for the things it is about. */
export const field = {
  instanceId: "instanceId",
  asg: "asg",
  component: "component",
  project: "project",
  releaseId: "releaseId",
  snapshotId: "snapshotId",
  volumeId: "volumeId",
  step: "step",
  op: "op",
  action: "action",
  durationMs: "durationMs",
} as const;

/** Keys whose values are secrets wherever they appear: on a line, or one level down (`{ config: { token } }`). */
const SECRET_KEYS = [
  "token",
  "password",
  "secret",
  "secretAccessKey",
  "sessionToken",
  "privateKey",
  "private_key",
  "authorization",
  "cookie",
  "credentials",
  // A container's environment (the agent's `container.env`): its values are the usual place for secrets.
  "env",
];

/** What pino replaces with "[redacted]" (fast-redact paths). */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`]),
  // HTTP requests and responses, as node and undici name their headers.
  ...["authorization", "cookie", "set-cookie", "x-amz-security-token"].flatMap((h) => [
    `headers["${h}"]`,
    `*.headers["${h}"]`,
  ]),
  // A whole agent configuration logged as it is.
  "container.env",
  "*.container.env",
];

export function createLogger(
  opts: { name: string; level?: string; destination?: NodeJS.WritableStream } & LoggerOptions,
): Logger {
  const { destination, ...rest } = opts;
  const options: LoggerOptions = {
    level: opts.level ?? "info",
    base: { name: opts.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: "[redacted]" },
    ...rest,
  };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}

/** A logger that drops everything, for library callers that pass none. */
export const silentLogger: Logger = pino({ level: "silent" });

/**
 * Runs `fn`, logging a line when it starts ("<op>: start"), and one when it finishes ("<op>: done")
 * or fails ("<op>: failed", with the error), both with its duration; `fields` go on every line.
 */
export async function logOp<T>(
  log: Logger,
  op: string,
  fn: () => Promise<T>,
  fields: Record<string, unknown> = {},
): Promise<T> {
  const started = performance.now();
  log.info({ ...fields, [field.op]: op }, `${op}: start`);
  try {
    const result = await fn();
    log.info(
      { ...fields, [field.op]: op, [field.durationMs]: Math.round(performance.now() - started) },
      `${op}: done`,
    );
    return result;
  } catch (err) {
    log.error(
      { ...fields, [field.op]: op, [field.durationMs]: Math.round(performance.now() - started), err },
      `${op}: failed`,
    );
    throw err;
  }
}

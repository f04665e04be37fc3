// The few error classes of the product. Each carries context and maps to an exit code:
// 0 ok, 1 operation failed, 2 bad input or configuration (docs/design.md#clear-failure).

export type ErrorContext = Record<string, string | number | boolean | undefined>;

export class AsgReleaseError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly context: ErrorContext;

  constructor(
    message: string,
    opts: { code?: string; exitCode?: number; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = opts.code ?? "Failed";
    this.exitCode = opts.exitCode ?? 1;
    this.context = opts.context ?? {};
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** One problem in an input file, with its position. */
export interface ConfigIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted key path, e.g. `plugin_config.ec2-asg.launch_config.sg[0]`; empty for the document itself. */
  path: string;
  message: string;
  severity: "error" | "warning";
}

export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}:`;
  const prefix = issue.severity === "warning" ? " warning:" : "";
  return issue.path
    ? `${where}${prefix} ${issue.path}: ${issue.message}`
    : `${where}${prefix} ${issue.message}`;
}

/** Bad input: stops before any mutating call, exit code 2. */
export class ConfigError extends AsgReleaseError {
  readonly issues: ConfigIssue[];

  constructor(
    issues: ConfigIssue[],
    message?: string,
    opts: { context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(
      message ??
        issues
          .filter((i) => i.severity === "error")
          .map(formatIssue)
          .join("\n"),
      {
        code: "ConfigInvalid",
        exitCode: 2,
        context: opts.context,
        cause: opts.cause,
      },
    );
    this.issues = issues;
  }
}

/** An AWS call that failed, with the operation and the ids it was about. */
export class AwsError extends AsgReleaseError {
  constructor(
    readonly operation: string,
    message: string,
    opts: { code?: string; context?: ErrorContext; cause?: unknown; retryable?: boolean } = {},
  ) {
    super(`${operation}: ${message}`, {
      code: opts.code ?? "AwsError",
      context: opts.context,
      cause: opts.cause,
    });
    this.retryable = opts.retryable ?? false;
  }
  readonly retryable: boolean;
}

/**
 * A local command (rsync, ssh, mount, podman...) that failed: which command, its exit code and the
 * tail of its stderr. Never its arguments: they may hold secrets (a container's environment, a
 * token), and this message goes to the status file, systemd's STATUS=, the journal and AWS.
 */
export class CommandError extends AsgReleaseError {
  /** The program, or what the caller named it ("podman run"); no arguments. */
  readonly command: string;

  constructor(
    argv: readonly string[],
    readonly exit: number | undefined,
    readonly stderrTail: string,
    opts: { cause?: unknown; context?: ErrorContext; command?: string } = {},
  ) {
    const command = opts.command ?? programName(argv);
    super(`command failed (exit ${exit ?? "signal"}): ${command}${stderrTail ? `: ${stderrTail}` : ""}`, {
      code: "CommandFailed",
      context: opts.context,
      cause: opts.cause,
    });
    this.command = command;
  }
}

/** The program's file name without its directory: `/usr/bin/podman` is "podman". */
export function programName(argv: readonly string[]): string {
  return (argv[0] ?? "").split("/").pop() || "(empty argv)";
}

/** A step of the agent or of a publish/deploy that could not complete. */
export class StepError extends AsgReleaseError {
  constructor(
    readonly step: string,
    message: string,
    opts: { context?: ErrorContext; cause?: unknown; exitCode?: number } = {},
  ) {
    super(`${step}: ${message}`, {
      code: "StepFailed",
      context: opts.context,
      cause: opts.cause,
      exitCode: opts.exitCode,
    });
  }
}

export function exitCodeOf(err: unknown): number {
  return err instanceof AsgReleaseError ? err.exitCode : 1;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

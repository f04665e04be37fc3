// Errors of the host machinery. `code` uses the EC2 error codes the service can return as they are
// (VolumeInUse, IncorrectState, InvalidParameterValue); the others are the sim's own failures.

export type HostErrorCode =
  "InvalidParameterValue" | "IncorrectState" | "VolumeInUse" | "Unsupported" | "BootFailed" | "CommandFailed";

export class HostError extends Error {
  constructor(
    readonly code: HostErrorCode,
    message: string,
    readonly instanceId?: string,
    opts: { cause?: unknown } = {},
  ) {
    super(instanceId ? `${instanceId}: ${message}` : message, opts);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** A command that exited non-zero or was killed: argv, exit code and the tail of its output. */
export class HostCommandError extends HostError {
  constructor(
    readonly argv: readonly string[],
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
    instanceId?: string,
  ) {
    const tail = stderr.trim().split("\n").slice(-5).join("\n");
    const how = exitCode === null ? "killed" : `exit ${exitCode}`;
    super(
      "CommandFailed",
      `command failed (${how}): ${argv.join(" ")}${tail ? `: ${tail}` : ""}`,
      instanceId,
    );
  }
}

// The server executable's entry: one binary, two programs. Installed as `asg-release` it is the
// operator CLI; started through its `asg-release-server` link, the release server daemon. It picks
// by the name it was started under (process.argv0), as multi-call binaries like busybox do, and
// loads only the program it runs.
import { basename } from "node:path";

export const DAEMON_NAME = "asg-release-server";

export type Program = "cli" | "daemon";

/** `asg-release-server` (or a name starting `asg-release-server-`) is the daemon; any other, the CLI. */
export function programFor(argv0: string): Program {
  const name = basename(argv0);
  return name === DAEMON_NAME || name.startsWith(`${DAEMON_NAME}-`) ? "daemon" : "cli";
}

export async function main(argv: string[]): Promise<void> {
  const entry =
    programFor(process.argv0) === "daemon"
      ? await import("../release-server/main.js")
      : await import("./main.js");
  await entry.main(argv);
}

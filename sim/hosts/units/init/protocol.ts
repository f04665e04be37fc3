// The messages between the host's commands (systemctl, systemd-notify, the sim's boot call) and its
// service manager: one JSON request line, then JSON reply lines ending with the exit code.
import { connect } from "node:net";
import { createInterface } from "node:readline";

export type Request =
  | { kind: "systemctl"; argv: string[] }
  | { kind: "notify"; invocationId: string; fields: Record<string, string> }
  | { kind: "boot" };

export type Reply = { o: string } | { e: string } | { exit: number };

/** Sends a request, prints the replies, resolves with the exit code. */
export function request(socket: string, req: Request): Promise<number> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let exit: number | undefined;
    conn.on("error", reject);
    conn.on("connect", () => conn.write(`${JSON.stringify(req)}\n`));
    const lines = createInterface({ input: conn });
    lines.on("line", (line) => {
      const r = JSON.parse(line) as Reply;
      if ("o" in r) process.stdout.write(`${r.o}\n`);
      else if ("e" in r) process.stderr.write(`${r.e}\n`);
      else exit = r.exit;
    });
    lines.on("close", () => resolve(exit ?? 1));
  });
}

// `asg-release status`: the current release, each member's release and the stragglers, as the
// release server last saw them (GET /v1/status), and the address of its status page; --json prints
// that document as is.
import type { Command } from "commander";
import type { StatusReport } from "../release-server/api/status.js";
import { statusText } from "./format.js";
import type { ClientOptions } from "./server-client.js";

export function registerStatus(program: Command): void {
  program
    .command("status")
    .description("Show the current release, each member's release and the stragglers")
    .option(
      "--server <url>",
      "the release server (default: listen in --config, else in /etc/asg-release/server.yaml if it exists, else http://127.0.0.1:8700)",
    )
    .option("-c, --config <file>", "the release server's configuration, for its address and token file")
    .option("--token-file <file>", "file holding the API's bearer token (when status is guarded)")
    .option("--json", "machine-readable output")
    .action(async (opts: ClientOptions & { json?: boolean }) => {
      const { getJson, resolveServer } = await import("./server-client.js");
      const server = await resolveServer(opts);
      const status = await getJson<StatusReport>(server, "/v1/status");
      process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : statusText(status));
      // A server that keeps publish history serves the status page too.
      if (!opts.json && status.publishes) process.stdout.write(`\nStatus page: ${server.url}/status\n`);
    });
}

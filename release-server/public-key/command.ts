// `asg-release-server public-key`: prints the agents' `pointer.public_key`, the one-line form of the
// public half of the pointer signing key `init` made, so user data can be written from it.
import type { Command } from "commander";
import { addServerOptions, type ServerOptions } from "../server-options.js";

export function registerPublicKey(program: Command): void {
  addServerOptions(
    program
      .command("public-key")
      .description(
        "Print the public key agents verify release pointers with (agent.yaml's pointer.public_key)",
      ),
  ).action(async (opts: ServerOptions) => {
    const { printPublicKey } = await import("./run.js");
    await printPublicKey(opts);
  });
}

// `asg-release publish`: asks the release server for a publish now (POST /v1/publish), shows its
// steps as they happen and ends with a table of every member. Exit 1 if the publish failed (the
// shrink guard refusing it too) or members straggle. `--rollback-to RELEASE_ID` publishes that older
// release's tree again, as a signed rollback (not `asg-release rollback`, which is the deploy's).
import type { Command } from "commander";
import type { ClientOptions } from "./server-client.js";

export function registerPublish(program: Command): void {
  program
    .command("publish")
    .description("Publish the watched tree now: snapshot, pointer, push to every member, reconcile")
    .option(
      "--server <url>",
      "the release server (default: listen in --config, else in /etc/asg-release/server.yaml if it exists, else http://127.0.0.1:8700)",
    )
    .option("-c, --config <file>", "the release server's configuration, for its address and token file")
    .option("--token-file <file>", "file holding the API's bearer token")
    .option("--json", "print the final report as JSON instead of a table")
    .option(
      "--allow-shrink",
      "publish even an empty tree, or one that removes more than release.max_shrink_percent of the files or bytes (this publish only)",
    )
    .option(
      "--rollback-to <release-id>",
      "publish the tree of this older release again, as a signed rollback; the watcher then leaves the fleet on it until the watched tree changes",
    )
    .action(async (opts: ClientOptions & { json?: boolean; allowShrink?: boolean; rollbackTo?: string }) => {
      const { runPublish } = await import("./publish-run.js");
      await runPublish(opts);
    });
}

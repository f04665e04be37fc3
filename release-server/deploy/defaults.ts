// The production wiring of the deploy commands: SDK clients from the shared factory, IMDS for
// home_vpc, the image resolvers, undici for delegated destroy, listr2 on a terminal.
import { homedir } from "node:os";
import { createAwsClients } from "#shared/aws/clients.js";
import { createLogger } from "#shared/log.js";
import type { CommandDeps } from "./command.js";
import { undiciHandoff } from "./execute/handoff.js";
import { imdsHostVpc } from "./observe/home-vpc.js";
import { registryResolvers } from "#shared/registry/resolver-factory.js";
import { listrProgress, plainProgress } from "./progress.js";

export function defaultDeps(env: NodeJS.ProcessEnv, tty: boolean): CommandDeps {
  return {
    env,
    clients: (region) => createAwsClients({ region }),
    hostVpc: imdsHostVpc(),
    resolvers: registryResolvers({ env, home: homedir() }),
    handoff: undiciHandoff,
    progress: tty ? listrProgress() : plainProgress(process.stdout),
    out: process.stdout,
    err: process.stderr,
    // The terminal shows the plan's progress; LOG_LEVEL=info adds JSON lines on stderr (CI, audits).
    log: createLogger({ name: "asg-release", level: env.LOG_LEVEL ?? "silent", destination: process.stderr }),
  };
}

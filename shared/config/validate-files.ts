// Checks the release server's and the agent's configuration files without using them: every issue
// with its FILE:LINE:COL, as the daemon and the agent would report them at start.
import { ConfigError, type ConfigIssue } from "../errors.js";
import { agentConfigFrom, type AgentConfig } from "./agent.js";
import { readSource } from "./load.js";
import { loadServerConfig, type ServerConfig } from "./server.js";

export async function validateServerFile(
  file: string,
): Promise<{ config?: ServerConfig; issues: ConfigIssue[] }> {
  const loaded = await readSource(file);
  if (!loaded.source) return { issues: loaded.issues };
  const { config, issues } = loadServerConfig(loaded.source);
  return { ...(config ? { config } : {}), issues: [...loaded.issues, ...issues] };
}

export async function validateAgentFile(
  file: string,
): Promise<{ config?: AgentConfig; issues: ConfigIssue[] }> {
  try {
    return { config: agentConfigFrom(await readSource(file)), issues: [] };
  } catch (err) {
    if (err instanceof ConfigError) return { issues: err.issues };
    throw err;
  }
}

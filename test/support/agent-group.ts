// The full-host agent group of agent-fleet.ts as a test file's fixture: started before its tests,
// stopped after them.
import { afterAll, beforeAll } from "vitest";
import { startAgentGroup, stopAgentGroup, type AgentGroup, type AgentGroupOptions } from "./agent-fleet.js";

/** The returned object is filled in as the group is set up (the agent is built first). */
export function useAgentGroup(o: Omit<AgentGroupOptions, "buildAgent">): AgentGroup {
  const world = {} as AgentGroup;
  beforeAll(async () => {
    await startAgentGroup({ ...o, buildAgent: true }, world);
  });
  afterAll(() => stopAgentGroup(world));
  return world;
}

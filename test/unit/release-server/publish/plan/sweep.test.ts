import { describe, expect, it } from "vitest";
import {
  planRollbackSourceSweep,
  planSweep,
  type ObservedVolume,
} from "../../../../../release-server/publish/plan/sweep.js";
import {
  INSTANCE_ID_TAG,
  MANAGED_BY_AGENT,
  MANAGED_BY_SERVER,
  MANAGED_BY_TAG,
  PROJECT_TAG,
  ROLE_RELEASE_VOLUME,
  ROLE_ROLLBACK_SOURCE,
  ROLE_TAG,
} from "#shared/release/tags.js";

const agentTags = (instanceId: string) => ({
  [MANAGED_BY_TAG]: MANAGED_BY_AGENT,
  [INSTANCE_ID_TAG]: instanceId,
});
const vol = (state: string, tags: Record<string, string>): ObservedVolume => ({
  volumeId: "vol-1",
  state,
  tags,
});
const live = new Set(["i-live"]);

describe("planSweep", () => {
  it.each([
    {
      rule: "deletes an available agent volume whose instance is gone",
      volume: vol("available", agentTags("i-gone")),
      deleted: true,
    },
    {
      rule: "keeps a volume whose instance still lives",
      volume: vol("available", agentTags("i-live")),
      deleted: false,
    },
    {
      rule: "deletes an agent volume in error, even while its instance lives",
      volume: vol("error", agentTags("i-live")),
      deleted: true,
    },
    {
      rule: "keeps a volume in error without the agent's tag",
      volume: vol("error", { [INSTANCE_ID_TAG]: "i-gone" }),
      deleted: false,
    },
    { rule: "keeps an attached volume", volume: vol("in-use", agentTags("i-gone")), deleted: false },
    { rule: "keeps a volume being created", volume: vol("creating", agentTags("i-gone")), deleted: false },
    {
      rule: "keeps a volume without the agent's tag",
      volume: vol("available", { [INSTANCE_ID_TAG]: "i-gone" }),
      deleted: false,
    },
    {
      rule: "keeps the release server's own volume",
      volume: vol("available", { [MANAGED_BY_TAG]: MANAGED_BY_SERVER, [INSTANCE_ID_TAG]: "i-gone" }),
      deleted: false,
    },
    {
      rule: "keeps an agent volume with no instance tag",
      volume: vol("available", { [MANAGED_BY_TAG]: MANAGED_BY_AGENT }),
      deleted: false,
    },
  ])("$rule", ({ volume, deleted }) => {
    expect(planSweep([volume], live)).toEqual(
      deleted ? [{ kind: "delete-volume", volumeId: "vol-1", instanceId: volume.tags[INSTANCE_ID_TAG] }] : [],
    );
  });
});

describe("planRollbackSourceSweep", () => {
  const source = (project: string, role = ROLE_ROLLBACK_SOURCE, by = MANAGED_BY_SERVER) => ({
    [ROLE_TAG]: role,
    [MANAGED_BY_TAG]: by,
    [PROJECT_TAG]: project,
  });
  it.each([
    {
      rule: "deletes the project's available rollback source",
      volume: vol("available", source("shop")),
      deleted: true,
    },
    { rule: "deletes one in error", volume: vol("error", source("shop")), deleted: true },
    {
      rule: "keeps one attached (a rollback is using it)",
      volume: vol("in-use", source("shop")),
      deleted: false,
    },
    { rule: "keeps another project's", volume: vol("available", source("blog")), deleted: false },
    {
      rule: "keeps the release volume",
      volume: vol("available", source("shop", ROLE_RELEASE_VOLUME)),
      deleted: false,
    },
    {
      rule: "keeps one the server did not make",
      volume: vol("available", source("shop", ROLE_ROLLBACK_SOURCE, MANAGED_BY_AGENT)),
      deleted: false,
    },
  ])("$rule", ({ volume, deleted }) => {
    expect(planRollbackSourceSweep([volume], "shop")).toEqual(
      deleted ? [{ kind: "delete-volume", volumeId: "vol-1" }] : [],
    );
  });

  it("is not the agent volumes' sweep: planSweep leaves rollback sources alone", () => {
    expect(planSweep([vol("available", source("shop"))], live)).toEqual([]);
  });
});

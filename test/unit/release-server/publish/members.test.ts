import { describe, expect, it } from "vitest";
import { joinMembers } from "../../../../release-server/publish/members.js";

describe("joinMembers", () => {
  it("takes InService and every Pending state, with the instance's private IP", () => {
    const members = joinMembers(
      [
        {
          name: "web",
          instances: [
            { instanceId: "i-1", lifecycleState: "InService" },
            { instanceId: "i-2", lifecycleState: "Pending:Wait" },
            { instanceId: "i-3", lifecycleState: "Terminating" },
            { instanceId: "i-4", lifecycleState: "Standby" },
            { instanceId: "i-5", lifecycleState: "Pending" },
          ],
        },
      ],
      [
        { instanceId: "i-1", state: "running", privateIp: "127.1.0.1" },
        { instanceId: "i-2", state: "running", privateIp: "127.1.0.2" },
        { instanceId: "i-5", state: "pending" },
      ],
    );
    expect(members).toEqual([
      { instanceId: "i-1", asg: "web", lifecycleState: "InService", privateIp: "127.1.0.1" },
      { instanceId: "i-2", asg: "web", lifecycleState: "Pending:Wait", privateIp: "127.1.0.2" },
      { instanceId: "i-5", asg: "web", lifecycleState: "Pending" },
    ]);
  });
  it("lists an instance once when its group was found by name and by tag", () => {
    const g = { name: "web", instances: [{ instanceId: "i-1", lifecycleState: "InService" }] };
    expect(joinMembers([g, g], [])).toHaveLength(1);
  });
  it("drops members whose instance is already shutting down", () => {
    const g = { name: "web", instances: [{ instanceId: "i-1", lifecycleState: "InService" }] };
    expect(joinMembers([g], [{ instanceId: "i-1", state: "shutting-down", privateIp: "127.1.0.1" }])).toEqual(
      [],
    );
  });
  it("keeps a member launched after the instance listing, without an address", () => {
    const g = { name: "web", instances: [{ instanceId: "i-9", lifecycleState: "Pending" }] };
    expect(joinMembers([g], [])).toEqual([{ instanceId: "i-9", asg: "web", lifecycleState: "Pending" }]);
  });
});

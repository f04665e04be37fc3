// EC2's control routes under /_sim/ec2/: the default host kind for new launches, and an
// instance's console output (the host's boot log).
import { SimError } from "../../api/errors.js";
import type { Ec2Context } from "./context.js";

export function addEc2ControlRoutes(ec2: Ec2Context): void {
  const { sim } = ec2;
  sim.control.add("PUT", "/_sim/ec2/host-kind", (body) => {
    const kind = (body as { hostKind?: string }).hostKind;
    if (kind !== "full" && kind !== "light")
      throw new SimError("InvalidParameterValue", "hostKind must be full or light");
    ec2.defaultHostKind = kind;
    return { hostKind: kind };
  });
  sim.control.add("GET", "/_sim/ec2/console-output", async (_body, query) => {
    const instanceId = query.get("instanceId") ?? "";
    return { instanceId, output: (await ec2.hosts.consoleOutput(instanceId)) ?? "" };
  });
}

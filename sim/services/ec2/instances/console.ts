// GetConsoleOutput: a full instance's boot log (base64, as EC2 returns it); empty for light ones.
import type { Ec2Op } from "../context.js";
import { getInstance } from "../lookup.js";

export const getConsoleOutput: Ec2Op = async ({ region, params }, ec2) => {
  const instance = getInstance(region, params.req("InstanceId"));
  const output = (await ec2.hosts.consoleOutput(instance.instanceId)) ?? "";
  return {
    instanceId: instance.instanceId,
    timestamp: ec2.now(),
    output: output ? Buffer.from(output).toString("base64") : undefined,
  };
};

// What EC2 offers the other services (runtime.ts Ec2Internal): Auto Scaling launches and
// terminates its members through these, with the same checks and lifecycle as RunInstances.
import type { Ec2Internal } from "../../runtime.js";
import type { Ec2Context } from "./context.js";
import { launchPrepared, newReservationId } from "./instances/launch.js";
import { prepareLaunch } from "./instances/prepare.js";
import { beginTermination } from "./instances/terminate-flow.js";
import { findTemplate, findVersion } from "./launch-templates/resolve.js";

export function ec2Internal(ec2: Ec2Context): Ec2Internal {
  return {
    /** Throws SimError (e.g. InvalidAMIID.NotFound) when the request cannot launch; the instance starts `pending`. */
    async launchInstance(region, req) {
      const prepared = prepareLaunch(ec2, region, req);
      return launchPrepared(ec2, region, prepared, {
        reservationId: newReservationId(),
        amiLaunchIndex: 0,
        op: "ec2:RunInstances",
      });
    },
    /** Unknown and already terminated ids are ignored. */
    terminateInstances(region, instanceIds) {
      for (const id of instanceIds) {
        const instance = region.instances.get(id);
        if (instance) beginTermination(ec2, region, instance);
      }
      return Promise.resolve();
    },
    resolveLaunchTemplate(region, ref) {
      const template = findTemplate(region, ref);
      const version = findVersion(template, ref.version);
      return {
        launchTemplateId: template.launchTemplateId,
        launchTemplateName: template.launchTemplateName,
        version: String(version.versionNumber),
        data: version.data,
      };
    },
    /** A no-op for light instances, which have no metadata service. */
    async setTargetLifecycleState(_region, instanceId, state) {
      await ec2.hosts.updateImds(instanceId, { targetLifecycleState: state });
    },
  };
}

// The tags asg-release sets on groups (propagated to their instances) and launch templates. The plugin
// defines `skopos:image_id` and `skopos:comp_name` (docs/spec/deploy.md#skopos-tags); `tag_prefix` replaces
// "skopos:" in all of them.

export interface TagKeys {
  /** docs/spec/deploy.md#limited-tags: the identifier of the image the group runs. */
  imageId: string;
  /** docs/spec/deploy.md#limited-tags: exactly the component name. */
  compName: string;
  /** Which project a group belongs to: groups without it are never changed or deleted. */
  project: string;
  /** The registry digest of the image (image_check_type: docker). */
  digest: string;
  /** On an instance detached for delegated destroy until its hand-off POST succeeded. */
  handoff: string;
  /** On an old slot kept detached for a fast rollback (rollout.keep_old_slot): ISO time it may go. */
  keptUntil: string;
  /**
   * The launch lifecycle hook asg-release last put on the group ("name;heartbeat;result", or "off"),
   * so a deploy knows each group's hook from DescribeAutoScalingGroups alone. Not propagated.
   */
  lifecycleHook: string;
}

export function tagKeys(prefix: string): TagKeys {
  return {
    imageId: `${prefix}image_id`,
    compName: `${prefix}comp_name`,
    project: `${prefix}project`,
    digest: `${prefix}image_digest`,
    handoff: `${prefix}handoff`,
    keptUntil: `${prefix}kept_until`,
    lifecycleHook: `${prefix}lifecycle_hook`,
  };
}

/** docs/spec/deploy.md#limited-groups: groups are named "{prj}.{name}_{side}" with sides A and B. */
export const limitedNamingTemplate = "{prj}.{name}_{side}";

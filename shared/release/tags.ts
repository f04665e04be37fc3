// Tag keys and values that mark what the release system made, shared by the agent and the release
// server: a snapshot is a release only when it carries these, and a volume is swept only when it does.

/** The release a snapshot (or a volume made from it, or an instance running it) holds. */
export const RELEASE_ID_TAG = "asg-release:release-id";
/** The project the release belongs to; retention and verification never look across projects. */
export const PROJECT_TAG = "asg-release:project";
/** Content hash of the released tree, so a snapshot can be checked against its manifest. */
export const TREE_HASH_TAG = "asg-release:tree-hash";
/** Which part of the system created the resource, and therefore which part may delete it. */
export const MANAGED_BY_TAG = "asg-release:managed-by";
/** The instance a volume was created for: the sweeper deletes the volume once that instance is gone. */
export const INSTANCE_ID_TAG = "asg-release:instance-id";
/**
 * The ARN of the instance a volume was created for: the instance role may attach, detach and delete
 * only volumes whose tag equals its own ${ec2:SourceInstanceARN}.
 */
export const INSTANCE_ARN_TAG = "asg-release:instance-arn";
/** Marks the release host's own volume (the one the server syncs into and snapshots). */
export const ROLE_TAG = "asg-release:role";

export const MANAGED_BY_AGENT = "asg-release-agent";
export const MANAGED_BY_SERVER = "asg-release-server";
export const ROLE_RELEASE_VOLUME = "release-volume";
/** A temporary volume made from an older release's snapshot, the source of a rollback publish. */
export const ROLE_ROLLBACK_SOURCE = "rollback-source";

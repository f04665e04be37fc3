// The rollback pin, decided: after `asg-release publish --rollback-to`, the watched tree still holds
// the release the operator rolled away from. Publishing it on its own (the watcher, the start-up
// publish, the retry after a failure) would undo the rollback at once, so those automatic publishes
// are skipped while the tree is the one recorded at rollback time. A changed tree, or an operator's
// explicit publish, goes forward and ends the pin.

export interface RollbackPin {
  /** The older release the operator named. */
  rolledBackTo: string;
  /** The release the rollback published (a new id with the older tree), once known. */
  releaseId?: string;
  /** The watched tree's hash when the rollback ran. */
  sourceTreeHash: string;
  /** ISO 8601, when the rollback ran. */
  at: string;
}

export type PinDecision = { publish: true; clearPin: boolean } | { publish: false; reason: string };

/**
 * Whether a publish goes ahead under `pin`. `sourceTreeHash` is the watched tree now (only needed
 * when a pin exists and the publish is automatic).
 */
export function planPin(o: {
  pin: RollbackPin | undefined;
  explicit: boolean;
  sourceTreeHash?: string;
}): PinDecision {
  if (!o.pin) return { publish: true, clearPin: false };
  if (o.explicit) return { publish: true, clearPin: true };
  if (o.sourceTreeHash !== undefined && o.sourceTreeHash !== o.pin.sourceTreeHash)
    return { publish: true, clearPin: true };
  return { publish: false, reason: pinnedMessage(o.pin) };
}

export function pinnedMessage(pin: RollbackPin): string {
  const release = pin.releaseId ? ` (release ${pin.releaseId})` : "";
  return (
    `the fleet is pinned to the rolled-back release ${pin.rolledBackTo}${release} until the source tree changes; ` +
    "`asg-release publish` publishes the source now"
  );
}

// Argv builders for the release host's block-device tools (Kamal-style: data, run elsewhere).

/** Blocks new writes and flushes the filesystem, so a snapshot taken now is consistent (fsfreeze(8)). */
export const freezeArgv = (mountPath: string): string[] => ["fsfreeze", "--freeze", mountPath];
export const unfreezeArgv = (mountPath: string): string[] => ["fsfreeze", "--unfreeze", mountPath];

/** ext4 with a label (docs/spec/release.md#diff-ext4: the model formats ext3). */
export const mkfsExt4Argv = (device: string, label: string): string[] => [
  "mkfs.ext4",
  "-q",
  "-L",
  label,
  device,
];

export const mkdirArgv = (path: string): string[] => ["mkdir", "-p", path];

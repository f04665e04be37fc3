// The public-key command's work: load the settings, read the signing key (refused when readable by
// others, or absent: then there is nothing agents could verify with), print its one-line form.
import { AsgReleaseError } from "#shared/errors.js";
import { rawPublicKey } from "#shared/release/pointer-signature.js";
import { loadServerSettings } from "../config.js";
import type { ServerOptions } from "../server-options.js";
import { loadSigningKey } from "../signing-key.js";

export async function printPublicKey(opts: ServerOptions): Promise<void> {
  const s = await loadServerSettings(opts.config, { stateDir: opts.stateDir });
  const key = await loadSigningKey(s.signingKey);
  if (!key) {
    throw new AsgReleaseError(
      `no pointer signing key at ${s.signingKey.file}; \`asg-release-server init\` creates it`,
      { code: "NoSigningKey", exitCode: 1 },
    );
  }
  process.stdout.write(`${rawPublicKey(key)}\n`);
}

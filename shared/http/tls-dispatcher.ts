// An HTTPS client (an undici dispatcher) that trusts what it is told to: a CA file, and/or the
// SHA-256 fingerprint of the server's own certificate. A pinned certificate needs no CA and no
// matching host name: the fingerprint is checked on every connection before a byte is sent.
import type { TLSSocket } from "node:tls";
import type { Dispatcher } from "undici";
import { AsgReleaseError } from "../errors.js";

export interface TlsTrust {
  /** PEM certificates to verify the server's chain against, instead of the system's CAs. */
  ca?: string;
  /** The server certificate's SHA-256 fingerprint, hex with or without colons. */
  fingerprint?: string;
}

/** "ab:cd:..." or "ABCD..." (openssl and Node print these) as upper-case hex with colons. */
export function normalizeFingerprint(text: string): string {
  const hex = text
    .trim()
    .replace(/^sha256:/i, "")
    .replace(/:/g, "")
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new AsgReleaseError(`expected a SHA-256 fingerprint (64 hex digits), got ${JSON.stringify(text)}`, {
      code: "BadFingerprint",
    });
  }
  return hex.match(/../g)!.join(":");
}

/** A dispatcher for one use; the caller closes it. undici is loaded on first use. */
export async function tlsDispatcher(trust: TlsTrust): Promise<Dispatcher> {
  const { Agent, buildConnector } = await import("undici");
  const pin = trust.fingerprint ? normalizeFingerprint(trust.fingerprint) : undefined;
  const connector = buildConnector({
    ...(trust.ca ? { ca: trust.ca } : {}),
    // With only a pin, the chain and name are not what is trusted: the fingerprint is.
    ...(pin && !trust.ca ? { rejectUnauthorized: false } : {}),
  });
  if (!pin) return new Agent({ connect: connector });
  return new Agent({
    connect: (opts, callback) =>
      connector(opts, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error("no connection"), null);
        const got = (socket as TLSSocket).getPeerCertificate?.()?.fingerprint256;
        if (!got || got.toUpperCase() !== pin) {
          socket.destroy();
          return callback(
            new AsgReleaseError(
              `the server at ${opts.hostname}:${opts.port} presented a certificate with SHA-256 fingerprint ${got ?? "none"}, expected ${pin}`,
              { code: "CertificateMismatch" },
            ),
            null,
          );
        }
        callback(null, socket);
      }),
  });
}

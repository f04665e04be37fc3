// A self-signed certificate for 127.0.0.1, made with openssl at test time in a directory of the
// caller's, and its SHA-256 fingerprint as openssl and the agent's configuration write it.
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { run } from "#shared/proc/run.js";

export interface TestCert {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
  /** "AB:CD:...", as `openssl x509 -noout -fingerprint -sha256` prints it. */
  fingerprint: string;
}

export async function selfSignedCert(dir: string, name = "server"): Promise<TestCert> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  await run([
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
    "-keyout",
    keyFile,
    "-out",
    certFile,
  ]);
  const [cert, key] = await Promise.all([readFile(certFile, "utf8"), readFile(keyFile, "utf8")]);
  return { certFile, keyFile, cert, key, fingerprint: new X509Certificate(cert).fingerprint256 };
}

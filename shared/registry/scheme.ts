// Which scheme a registry is spoken to with: HTTPS, except for loopback registries (a registry on
// the same machine, as in tests and local mirrors) and registries the configuration lists as
// insecure, which Docker's `insecure-registries` also lets speak plain HTTP.
import { registryHost } from "../image-ref/format.js";
import type { ImageRef } from "../image-ref/parse.js";

/** The host name of "host[:port]" or "[v6]:port", without brackets. */
export function hostnameOf(domain: string): string {
  if (domain.startsWith("[")) return domain.slice(1, domain.indexOf("]"));
  const colon = domain.indexOf(":");
  return colon === -1 ? domain : domain.slice(0, colon);
}

export function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "::1") return true;
  const octets = hostname.split(".");
  return octets.length === 4 && octets[0] === "127" && octets.every((o) => /^\d{1,3}$/.test(o) && +o <= 255);
}

/** An entry is "host:port" (that port only) or "host" (any port). */
export function isInsecureRegistry(domain: string, insecure: readonly string[]): boolean {
  return insecure.some((entry) => entry === domain || entry === hostnameOf(domain));
}

/** "http://127.0.0.1:5000" or "https://registry-1.docker.io": where the /v2/ API of `ref` lives. */
export function registryBaseUrl(ref: ImageRef, insecure: readonly string[] = []): string {
  const host = registryHost(ref);
  const plain = isLoopbackHost(hostnameOf(host)) || isInsecureRegistry(ref.domain, insecure);
  return `${plain ? "http" : "https"}://${host}`;
}

// How the CLI reaches the release server: the URL and token from flags, else from the server
// config (listen address and TLS, token_file), else the default local address. With TLS in the
// config the CLI pins the certificate the config names, so any name or CA in it will do.
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { request, type Dispatcher } from "undici";
import { AsgReleaseError } from "#shared/errors.js";
import { tlsDispatcher } from "#shared/http/tls-dispatcher.js";
import { readTokenFile } from "../release-server/api/auth.js";
import { loadServerSettings } from "../release-server/config.js";

export interface ClientOptions {
  server?: string;
  config?: string;
  tokenFile?: string;
}

export interface ServerTarget {
  url: string;
  token?: string;
  /** Trusts the configured certificate (listen.tls). */
  dispatcher?: Dispatcher;
}

export async function resolveServer(o: ClientOptions): Promise<ServerTarget> {
  let url = o.server;
  let tokenFile = o.tokenFile;
  let dispatcher: Dispatcher | undefined;
  if (o.config) {
    const { config } = await loadServerSettings(o.config);
    const tls = config.listen.tls;
    url ??= `${tls ? "https" : "http"}://${config.listen.address}:${config.listen.port}`;
    tokenFile ??= config.token_file;
    if (tls && url.startsWith("https:")) {
      const cert = new X509Certificate(await readFile(tls.cert, "utf8"));
      dispatcher = await tlsDispatcher({ fingerprint: cert.fingerprint256 });
    }
  }
  return {
    url: (url ?? "http://127.0.0.1:8700").replace(/\/+$/, ""),
    ...(tokenFile ? { token: await readTokenFile(tokenFile) } : {}),
    ...(dispatcher ? { dispatcher } : {}),
  };
}

export async function getJson<T>(t: ServerTarget, path: string): Promise<T> {
  const res = await send(t, "GET", path);
  const text = await res.body.text();
  if (res.statusCode !== 200)
    throw new AsgReleaseError(`GET ${t.url}${path}: HTTP ${res.statusCode}: ${text.trim()}`);
  return JSON.parse(text) as T;
}

/** POSTs and hands each line of the streamed answer to `onLine`. */
export async function postLines(
  t: ServerTarget,
  path: string,
  onLine: (line: string) => void,
): Promise<void> {
  const res = await send(t, "POST", path);
  if (res.statusCode !== 200) {
    const text = await res.body.text();
    throw new AsgReleaseError(`POST ${t.url}${path}: HTTP ${res.statusCode}: ${text.trim()}`, {
      exitCode: res.statusCode === 401 || res.statusCode === 403 ? 2 : 1,
    });
  }
  let buffered = "";
  for await (const chunk of res.body) {
    buffered += (chunk as Buffer).toString("utf8");
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) onLine(line);
    }
  }
  if (buffered.trim()) onLine(buffered.trim());
}

async function send(t: ServerTarget, method: "GET" | "POST", path: string) {
  try {
    return await request(`${t.url}${path}`, {
      method,
      headers: t.token ? { authorization: `Bearer ${t.token}` } : {},
      ...(t.dispatcher ? { dispatcher: t.dispatcher } : {}),
      // A publish streams for as long as it runs; only a silent server is a dead one.
      headersTimeout: 30_000,
      bodyTimeout: 3_600_000,
    });
  } catch (err) {
    throw new AsgReleaseError(`cannot reach the release server at ${t.url}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

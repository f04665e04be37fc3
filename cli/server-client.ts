// How the CLI reaches the release server: the URL and token from flags, else from the server
// config (--config, or the default one when it exists, as on the release host: listen address and
// TLS, token_file), else the default local address. With TLS in the config the CLI pins the
// certificate the config names, so any name or CA in it will do. Errors name the address tried and
// where it came from.
import { X509Certificate } from "node:crypto";
import { accessSync, constants } from "node:fs";
import { readFile } from "node:fs/promises";
import { request, type Dispatcher } from "undici";
import { AsgReleaseError } from "#shared/errors.js";
import { tlsDispatcher } from "#shared/http/tls-dispatcher.js";
import { readTokenFile } from "../release-server/api/auth.js";
import { defaultServerConfigPath, loadServerSettings } from "../release-server/config.js";

/** Where the daemon listens unless server.yaml says otherwise (listen.address, listen.port). */
export const DEFAULT_SERVER_URL = "http://127.0.0.1:8700";

export interface ClientOptions {
  server?: string;
  config?: string;
  tokenFile?: string;
}

export interface ServerTarget {
  url: string;
  /** Where `url` came from, for messages: "--server", "listen in FILE" or "the default address". */
  from: string;
  token?: string;
  /** Trusts the configured certificate (listen.tls). */
  dispatcher?: Dispatcher;
}

/**
 * `defaultConfig` is read when neither --server nor --config is given and this user may read it: on
 * the release host the CLI then finds the daemon's address and token without flags. Its token file
 * is taken only when readable too (an unguarded status needs none; a publish is then refused).
 */
export async function resolveServer(
  o: ClientOptions,
  defaultConfig: string = defaultServerConfigPath,
): Promise<ServerTarget> {
  let url = o.server;
  let from = url ? "--server" : "the default address";
  let tokenFile = o.tokenFile;
  let dispatcher: Dispatcher | undefined;
  const implicit = o.config === undefined && o.server === undefined && readable(defaultConfig);
  const configFile = o.config ?? (implicit ? defaultConfig : undefined);
  if (configFile) {
    const { config } = await loadServerSettings(configFile);
    const tls = config.listen.tls;
    if (!url) {
      url = `${tls ? "https" : "http"}://${config.listen.address}:${config.listen.port}`;
      from = `listen in ${configFile}`;
    }
    if (config.token_file && (!implicit || readable(config.token_file))) tokenFile ??= config.token_file;
    if (tls && url.startsWith("https:")) {
      const cert = new X509Certificate(await readFile(tls.cert, "utf8"));
      dispatcher = await tlsDispatcher({ fingerprint: cert.fingerprint256 });
    }
  }
  return {
    url: (url ?? DEFAULT_SERVER_URL).replace(/\/+$/, ""),
    from,
    ...(tokenFile ? { token: await readTokenFile(tokenFile) } : {}),
    ...(dispatcher ? { dispatcher } : {}),
  };
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export async function getJson<T>(t: ServerTarget, path: string): Promise<T> {
  const res = await send(t, "GET", path);
  const text = await res.body.text();
  if (res.statusCode !== 200)
    throw new AsgReleaseError(`GET ${t.url}${path}: HTTP ${res.statusCode}: ${text.trim()}`);
  return JSON.parse(text) as T;
}

/**
 * POSTs and resolves once the server accepted the request (HTTP 200), with a function that hands
 * each line of the streamed answer to `onLine`. A refusal (401, 403, ...) rejects before any line.
 */
export async function postLines(
  t: ServerTarget,
  path: string,
): Promise<(onLine: (line: string) => void) => Promise<void>> {
  const res = await send(t, "POST", path);
  if (res.statusCode !== 200) {
    const text = await res.body.text();
    const refused = res.statusCode === 401 || res.statusCode === 403;
    const hint = refused
      ? `; ${t.token ? "check the token file" : "give --token-file or --config with token_file"}`
      : "";
    throw new AsgReleaseError(`POST ${t.url}${path}: HTTP ${res.statusCode}: ${text.trim()}${hint}`, {
      exitCode: refused ? 2 : 1,
    });
  }
  return async (onLine) => {
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
  };
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
    throw new AsgReleaseError(
      `cannot reach the release server at ${t.url} (${t.from}): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

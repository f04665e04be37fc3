// A real docker-registry in token-auth mode (distribution's "auth: token") and the token server
// it trusts, on loopback: a node:http service issuing RS256 JWTs whose x5c certificate is the one
// in the registry's rootcertbundle, granting whatever scope is asked to the one known login.
import { spawn } from "node:child_process";
import { createSign, randomUUID, X509Certificate } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { run } from "../../sim/hosts/proc/run.js";
import { freePort } from "./loopback.js";
import type { Registry } from "./registry.js";

export interface TokenRegistry extends Registry {
  auth: { username: string; password: string };
  /** The realm the registry's challenges name. */
  tokenUrl: string;
  /** Token requests seen: the Authorization user ("" when anonymous) and scopes asked. */
  tokenRequests: { user: string; scopes: string[] }[];
}

const ISSUER = "asg-release-test-issuer";
const SERVICE = "asg-release-test-registry";
const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

function accessOf(scopes: string[]) {
  return scopes.map((scope) => {
    const first = scope.indexOf(":");
    const last = scope.lastIndexOf(":");
    return {
      type: scope.slice(0, first),
      name: scope.slice(first + 1, last),
      actions: scope.slice(last + 1).split(","),
    };
  });
}

function signJwt(key: string, cert: X509Certificate, subject: string, scopes: string[]): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: "JWT", alg: "RS256", x5c: [cert.raw.toString("base64")] };
  const claims = {
    iss: ISSUER,
    sub: subject,
    aud: SERVICE,
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: randomUUID(),
    access: accessOf(scopes),
  };
  const signed = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${signed}.${createSign("RSA-SHA256").update(signed).sign(key).toString("base64url")}`;
}

function startTokenServer(
  dir: { key: string; cert: X509Certificate },
  login: { username: string; password: string },
  seen: TokenRegistry["tokenRequests"],
) {
  const expected = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}`;
  return createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://token");
    const scopes = url.searchParams
      .getAll("scope")
      .flatMap((s) => s.split(" "))
      .filter(Boolean);
    const authorization = req.headers.authorization ?? "";
    const user = authorization
      ? (Buffer.from(authorization.replace(/^Basic /, ""), "base64")
          .toString()
          .split(":")[0] ?? "")
      : "";
    seen.push({ user, scopes });
    if (authorization !== expected) {
      res.writeHead(401, { "content-type": "application/json" }).end('{"details":"login required"}');
      return;
    }
    const token = signJwt(dir.key, dir.cert, login.username, scopes);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }),
    );
  });
}

async function waitForRegistry(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const status = await fetch(`${url}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 401) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`token registry at ${url} not serving`);
}

export async function startTokenRegistry(dir: string): Promise<TokenRegistry> {
  const auth = { username: "ci", password: "s3cret" };
  await run([
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "1",
    "-subj",
    "/CN=token-issuer",
    "-keyout",
    join(dir, "key.pem"),
    "-out",
    join(dir, "cert.pem"),
  ]);
  const key = await readFile(join(dir, "key.pem"), "utf8");
  const cert = new X509Certificate(await readFile(join(dir, "cert.pem")));
  const tokenRequests: TokenRegistry["tokenRequests"] = [];
  const tokenServer: Server = startTokenServer({ key, cert }, auth, tokenRequests);
  const tokenPort = await freePort();
  await new Promise<void>((resolve) => tokenServer.listen(tokenPort, "127.0.0.1", resolve));
  const tokenUrl = `http://127.0.0.1:${tokenPort}/token`;
  const host = `127.0.0.1:${await freePort()}`;
  const config = [
    "version: 0.1",
    "log: { level: error, accesslog: { disabled: true } }",
    `storage: { filesystem: { rootdirectory: ${join(dir, "data")} } }`,
    `http: { addr: "${host}" }`,
    "auth:",
    "  token:",
    `    realm: ${tokenUrl}`,
    `    service: ${SERVICE}`,
    `    issuer: ${ISSUER}`,
    `    rootcertbundle: ${join(dir, "cert.pem")}`,
    "",
  ].join("\n");
  await writeFile(join(dir, "config.yml"), config);
  const child = spawn("docker-registry", ["serve", join(dir, "config.yml")], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
    await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
  };
  try {
    await waitForRegistry(`http://${host}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { host, url: `http://${host}`, auth, tokenUrl, tokenRequests, stop };
}

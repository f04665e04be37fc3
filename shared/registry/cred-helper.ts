// Docker credential helpers (docker-credential-helpers protocol): `docker-credential-<name> get`
// reads the server URL on stdin and prints {"ServerURL","Username","Secret"}, or says
// "credentials not found" and exits 1 when it has none for that server.
import { AsgReleaseError, CommandError } from "../errors.js";
import type { Run } from "../proc/run.js";
import type { BasicCredentials } from "./auth-files.js";

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const helperError = (helper: string, problem: string, cause?: unknown) =>
  new AsgReleaseError(`read registry credentials: docker-credential-${helper}: ${problem}`, {
    code: "CredentialHelperFailed",
    exitCode: 2,
    context: { helper },
    cause,
  });

export async function credentialsFromHelper(
  run: Run,
  helper: string,
  serverUrl: string,
  timeoutMs = 10_000,
): Promise<BasicCredentials | undefined> {
  // The name comes from a config file and becomes a program name: no paths, no options.
  if (!HELPER_NAME.test(helper)) throw helperError(helper, "not a valid credential helper name");
  const program = `docker-credential-${helper}`;
  let result;
  try {
    result = await run([program, "get"], { input: serverUrl, timeoutMs, okExitCodes: [0, 1] });
  } catch (err) {
    const next =
      err instanceof CommandError && err.exit === undefined
        ? `install ${program} or remove "${helper}" from credHelpers/credsStore`
        : "check the helper";
    throw helperError(helper, `${(err as Error).message}: ${next}`, err);
  }
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.exitCode === 1) {
    if (/credentials not found/i.test(output)) return undefined;
    throw helperError(helper, `failed for ${serverUrl}: ${output.trim()}`);
  }
  return parseHelperOutput(helper, result.stdout);
}

export function parseHelperOutput(helper: string, stdout: string): BasicCredentials {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    throw helperError(helper, "printed something other than JSON");
  }
  const { Username, Secret } = (data ?? {}) as { Username?: unknown; Secret?: unknown };
  if (typeof Username !== "string" || typeof Secret !== "string") {
    throw helperError(helper, "printed JSON without Username and Secret");
  }
  // "<token>" marks an OAuth identity token, exchanged by a POST flow this client does not speak.
  if (Username === "<token>") {
    throw helperError(helper, "holds an identity token, not a password: log in with a username and password");
  }
  return { username: Username, password: Secret };
}

import { describe, expect, it } from "vitest";
import { CommandError, type AsgReleaseError } from "#shared/errors.js";
import type { Run, RunOptions } from "#shared/proc/run.js";
import { credentialsFromHelper } from "#shared/registry/cred-helper.js";

/** A helper program as data: what it prints and its exit code, recording how it was called. */
function fakeHelper(answer: { exitCode: number; stdout?: string; stderr?: string } | Error) {
  const calls: { argv: readonly string[]; opts: RunOptions | undefined }[] = [];
  const run: Run = async (argv, opts) => {
    calls.push({ argv, opts });
    if (answer instanceof Error) throw answer;
    return { argv, exitCode: answer.exitCode, stdout: answer.stdout ?? "", stderr: answer.stderr ?? "" };
  };
  return { run, calls };
}

describe("credentialsFromHelper (docker-credential-helpers protocol)", () => {
  it("runs docker-credential-<name> get with the server URL on stdin", async () => {
    const helper = fakeHelper({
      exitCode: 0,
      stdout: '{"ServerURL":"127.0.0.1:5000","Username":"ci","Secret":"s3cret"}',
    });
    expect(await credentialsFromHelper(helper.run, "pass", "127.0.0.1:5000")).toEqual({
      username: "ci",
      password: "s3cret",
    });
    expect(helper.calls[0]?.argv).toEqual(["docker-credential-pass", "get"]);
    expect(helper.calls[0]?.opts?.input).toBe("127.0.0.1:5000");
  });

  it("has no credentials when the helper says so", async () => {
    const helper = fakeHelper({ exitCode: 1, stdout: "credentials not found in native keychain\n" });
    expect(await credentialsFromHelper(helper.run, "pass", "r.example")).toBeUndefined();
  });

  it.each([
    [
      "another failure of the helper",
      fakeHelper({ exitCode: 1, stderr: "gpg: decryption failed" }),
      "read registry credentials: docker-credential-pass: failed for r.example: gpg: decryption failed",
    ],
    [
      "output that is not JSON",
      fakeHelper({ exitCode: 0, stdout: "hello" }),
      "read registry credentials: docker-credential-pass: printed something other than JSON",
    ],
    [
      "an identity token",
      fakeHelper({ exitCode: 0, stdout: '{"Username":"<token>","Secret":"refresh"}' }),
      "read registry credentials: docker-credential-pass: holds an identity token, not a password: log in with a username and password",
    ],
    [
      "a helper that is not installed",
      fakeHelper(new CommandError(["docker-credential-pass", "get"], undefined, "spawn ENOENT")),
      'read registry credentials: docker-credential-pass: command failed (exit signal): docker-credential-pass: spawn ENOENT: install docker-credential-pass or remove "pass" from credHelpers/credsStore',
    ],
  ])("fails clearly on %s", async (_name, helper, message) => {
    const err = (await credentialsFromHelper(helper.run, "pass", "r.example").catch(
      (e: unknown) => e,
    )) as AsgReleaseError;
    expect(err.message).toBe(message);
    expect(err.code).toBe("CredentialHelperFailed");
  });

  it("refuses a helper name that would be a path", async () => {
    const helper = fakeHelper({ exitCode: 0 });
    await expect(credentialsFromHelper(helper.run, "../../bin/sh", "r.example")).rejects.toThrow(
      "not a valid credential helper name",
    );
    expect(helper.calls).toEqual([]);
  });
});

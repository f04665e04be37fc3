// The pointer signing key on disk, as `asg-release-server init` makes it and the daemon loads it:
// created once with mode 600 and its public half, never replaced, refused when others can read it;
// and `asg-release-server public-key`, which prints the form agents are configured with.
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSigningKey, loadSigningKey, readSigningKey } from "../../release-server/signing-key.js";
import { signedPolicy } from "../../agent/steps/pointer-trust.js";
import { publicKeyFrom, rawPublicKey, signPointer } from "#shared/release/pointer-signature.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "signing-key-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the pointer signing key", () => {
  it("is created with mode 600, its public half beside it, and kept when init runs again", async () => {
    const file = join(dir, "state", "pointer-signing.key");
    const first = await ensureSigningKey(file);
    expect(first).toMatchObject({ file, created: true });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "state"))).mode & 0o777).toBe(0o700);
    const pem = await readFile(file, "utf8");
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const pub = await readFile(`${file}.pub`, "utf8");
    expect(rawPublicKey(publicKeyFrom(pub))).toBe(first.publicKey);

    const again = await ensureSigningKey(file);
    expect(again).toEqual({ ...first, created: false });
    expect(await readFile(file, "utf8")).toBe(pem);
  });

  it("signs what an agent configured with the printed public key accepts", async () => {
    const file = join(dir, "state", "pointer-signing.key");
    const { publicKey } = await ensureSigningKey(file);
    const signed = signPointer(
      {
        releaseId: "r1",
        snapshotId: "snap-0123456789abcdef0",
        treeHash: "a".repeat(64),
        time: "2026-01-01T00:00:00.000Z",
        sequence: 1,
      },
      await readSigningKey(file),
    );
    const claim = { snapshotId: signed.snapshotId, source: "test", document: signed };
    expect(signedPolicy(publicKeyFrom(publicKey), undefined, join(dir, "agent.json")).accept(claim)).toBe(
      claim,
    );
  });

  it("is refused when group or others can read it", async () => {
    const file = join(dir, "open.key");
    await writeFile(file, await readFile(join(dir, "state", "pointer-signing.key"), "utf8"));
    await chmod(file, 0o640);
    await expect(readSigningKey(file)).rejects.toThrow(
      `the pointer signing key ${file} is readable by others (mode 640); chmod 600 it`,
    );
  });

  it("is optional for the daemon at its default place only", async () => {
    const missing = join(dir, "nowhere.key");
    expect(await loadSigningKey({ file: missing, configured: false })).toBeUndefined();
    await expect(loadSigningKey({ file: missing, configured: true })).rejects.toThrow(
      `signing_key ${missing} does not exist; \`asg-release-server init\` creates it`,
    );
  });
});

describe("asg-release-server public-key", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const run = (config: string, stateDir: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["bin/asg-release-server.js", "public-key", "--config", config, "--state-dir", stateDir],
        { cwd: root },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });

  it("prints the one-line public key agents take, and fails while there is no key", async () => {
    const config = join(dir, "server.yaml");
    await writeFile(
      config,
      [
        "project: shop",
        "source: /srv/shop",
        "targets: { asg_names: [shop.web_A] }",
        "ssh: { key: /etc/asg-release/id_ed25519, known_hosts: /var/lib/asg-release-server/known_hosts }",
        "",
      ].join("\n"),
    );
    const stateDir = join(dir, "server-state");
    const none = await run(config, stateDir);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no pointer signing key at ${stateDir}/pointer-signing.key`);

    const { publicKey } = await ensureSigningKey(join(stateDir, "pointer-signing.key"));
    const printed = await run(config, stateDir);
    expect(printed).toMatchObject({ code: 0, stdout: `${publicKey}\n` });
  });
});

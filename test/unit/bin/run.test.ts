// bin/run.js, the executables' launcher: a bundle in dist/ runs only while every file its stamp lists
// keeps the recorded modification time; otherwise, and with ASG_RELEASE_FROM_SOURCE=1, the sources run.
// A throwaway tree holds a copy of bin/, a one-line bundle and a one-line TypeScript entry.
import { execFile } from "node:child_process";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeEach, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tree = mkdtempSync(join(tmpdir(), "asg-release-run-"));

function launch(env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(tree, "bin", "tool.js"), "a", "b"],
      { env: { ...process.env, ASG_RELEASE_FROM_SOURCE: "0", ...env } },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

function stamp(): void {
  const inputs = Object.fromEntries(
    ["src/main.ts", "src/dep.ts"].map((f) => [f, statSync(join(tree, f)).mtimeMs]),
  );
  writeFileSync(join(tree, "dist", "tool.cjs.stamp"), JSON.stringify({ inputs }));
}

beforeEach(() => {
  for (const dir of ["bin", "dist", "src"]) mkdirSync(join(tree, dir), { recursive: true });
  for (const f of ["run.js", "run-ts.js"]) copyFileSync(join(root, "bin", f), join(tree, "bin", f));
  rmSync(join(tree, "node_modules"), { force: true });
  symlinkSync(join(root, "node_modules"), join(tree, "node_modules"));
  writeFileSync(join(tree, "package.json"), '{ "type": "module" }\n');
  writeFileSync(
    join(tree, "bin", "tool.js"),
    'import { run } from "./run.js";\nawait run("tool.cjs", "../src/main.ts");\n',
  );
  writeFileSync(
    join(tree, "dist", "tool.cjs"),
    "process.stdout.write(`bundle ${process.argv.slice(2)}\\n`);\n",
  );
  writeFileSync(
    join(tree, "src", "main.ts"),
    "export async function main(argv: string[]): Promise<void> {\n  process.stdout.write(`sources ${argv}\\n`);\n}\n",
  );
  writeFileSync(join(tree, "src", "dep.ts"), "export const x = 1;\n");
  stamp();
});

afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe("bin/run.js", { timeout: 60_000 }, () => {
  it("runs the bundle while its stamp matches the sources, with the same arguments", async () => {
    expect(await launch()).toBe("bundle a,b\n");
  });

  it("runs the sources once a listed file changed or went away", async () => {
    const later = new Date(statSync(join(tree, "src", "dep.ts")).mtimeMs + 5000);
    utimesSync(join(tree, "src", "dep.ts"), later, later);
    expect(await launch()).toBe("sources a,b\n");
    stamp();
    expect(await launch()).toBe("bundle a,b\n");
    rmSync(join(tree, "src", "dep.ts"));
    expect(await launch()).toBe("sources a,b\n");
  });

  it("runs the sources without a stamp or a bundle", async () => {
    rmSync(join(tree, "dist", "tool.cjs.stamp"));
    expect(await launch()).toBe("sources a,b\n");
    stamp();
    rmSync(join(tree, "dist", "tool.cjs"));
    expect(await launch()).toBe("sources a,b\n");
  });

  it("runs the sources with ASG_RELEASE_FROM_SOURCE=1", async () => {
    expect(await launch({ ASG_RELEASE_FROM_SOURCE: "1" })).toBe("sources a,b\n");
  });
});

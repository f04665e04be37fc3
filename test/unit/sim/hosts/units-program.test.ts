// The host's init program carried in sim/hosts/units/program.ts is the bundle of its sources
// (regenerate with `npx tsx sim/hosts/units/build-program.ts`).
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { buildInitProgram, programModule } from "../../../../sim/hosts/units/build-program.js";

it("program.ts matches sim/hosts/units/init/", async () => {
  const current = await readFile(new URL("../../../../sim/hosts/units/program.ts", import.meta.url), "utf8");
  expect(current === programModule(await buildInitProgram())).toBe(true);
});

// Lint rules, including the import boundaries (docs/design.md#boundaries): shared/ imports no other
// product folder, agent/ and release-server/ never import each other, sim/ imports nothing from the
// product, only shared/proc/run.ts imports execa, processes are started by two runners only
// (shared/proc/run.ts, the product's, and sim/hosts/proc/run.ts, the sim's; the init program of a
// full host, sim/hosts/units/init/, starts its units), only
// shared/aws/call.ts sends AWS SDK commands, and product code throws typed errors only.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Errors are typed (shared/errors.ts): a class, a code, an exit code and context.
const typedErrors = {
  selector: "ThrowStatement > NewExpression[callee.name='Error']",
  message: "Throw a typed error from shared/errors.ts (a class, a code, an exit code, context).",
};
const sendThroughCall = {
  selector: "CallExpression[callee.property.name='send']",
  message:
    "Send AWS SDK commands through awsSend/awsCall of shared/aws/call.ts, so a failure names the operation and its ids.",
};

const boundary = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });
const noExeca = { group: ["execa"], message: "Run processes through shared/proc/run.ts." };
const noChildProcess = (runner) => ({
  group: ["child_process", "node:child_process"],
  message: `Start processes through ${runner}.`,
});
const productRunner = noChildProcess("shared/proc/run.ts");
const simBoundary = {
  // shared/ is imported as #shared/... (package.json "imports"), agent/ and release-server/ by path.
  regex: "^#shared/|(^|/)(agent|release-server|shared)/",
  message: "sim/ imports nothing from the product, so a bug shared by both cannot hide.",
};

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    files: ["shared/**/*.ts"],
    ignores: ["shared/proc/run.ts"],
    rules: boundary([
      {
        group: ["**/agent/**", "**/release-server/**", "**/sim/**"],
        message: "shared/ is the common library.",
      },
      noExeca,
      productRunner,
    ]),
  },
  {
    // The operator's CLI drives the release server's engines and starts the local region.
    files: ["cli/**/*.ts"],
    rules: boundary([
      { group: ["**/agent/**"], message: "The CLI does not import the agent." },
      noExeca,
      productRunner,
    ]),
  },
  {
    files: ["agent/**/*.ts"],
    rules: boundary([
      { group: ["**/release-server/**", "**/sim/**"], message: "The agent stands alone." },
      noExeca,
      productRunner,
    ]),
  },
  {
    files: ["release-server/**/*.ts"],
    rules: boundary([
      {
        group: ["**/agent/**", "**/sim/**"],
        message: "The release server does not import the agent or the sim.",
      },
      noExeca,
      productRunner,
    ]),
  },
  // One block per file set for no-restricted-syntax: flat config merges `rules` per block, so a later
  // block naming the same rule would replace these selectors (and the import boundaries live in
  // no-restricted-imports, untouched here).
  {
    files: ["agent/**/*.ts", "release-server/**/*.ts", "shared/**/*.ts", "cli/**/*.ts"],
    ignores: ["shared/aws/call.ts"],
    rules: { "no-restricted-syntax": ["error", typedErrors, sendThroughCall] },
  },
  { files: ["shared/aws/call.ts"], rules: { "no-restricted-syntax": ["error", typedErrors] } },
  {
    files: ["sim/**/*.ts"],
    // The host's init program (sim/hosts/units/init/) runs inside a host: it is that host's runner.
    ignores: ["sim/hosts/proc/run.ts", "sim/hosts/units/init/**"],
    rules: boundary([simBoundary, noChildProcess("sim/hosts/proc/run.ts")]),
  },
  { files: ["sim/hosts/proc/run.ts", "sim/hosts/units/init/**/*.ts"], rules: boundary([simBoundary]) },
  {
    // Benchmarks, scripts and the launchers in bin/ run processes through the product's runner.
    files: ["bench/**/*.ts", "scripts/**/*.ts", "bin/**/*.js"],
    rules: boundary([noExeca, productRunner]),
  },
);

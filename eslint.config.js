// Lint rules, including the import boundaries of DESIGN.md: shared/ imports no other product
// folder, agent/ and release-server/ never import each other, sim/ imports nothing from the product,
// only shared/aws/clients.ts constructs SDK clients, only shared/proc/run.ts imports execa, and
// only shared/aws/call.ts sends AWS SDK commands.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const boundary = (patterns) => ({ "no-restricted-imports": ["error", { patterns }] });
const noExeca = { group: ["execa"], message: "Run processes through shared/proc/run.ts." };

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
    ]),
  },
  {
    // The operator's CLI drives the release server's engines and starts the local region.
    files: ["cli/**/*.ts"],
    rules: boundary([{ group: ["**/agent/**"], message: "The CLI does not import the agent." }, noExeca]),
  },
  {
    files: ["agent/**/*.ts"],
    rules: boundary([
      { group: ["**/release-server/**", "**/sim/**"], message: "The agent stands alone." },
      noExeca,
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
    ]),
  },
  {
    // A separate block: flat config merges `rules` per block, and these must not replace the
    // import boundaries above.
    files: ["agent/**/*.ts", "release-server/**/*.ts", "shared/**/*.ts", "cli/**/*.ts"],
    ignores: [
      "shared/aws/call.ts",
      // removed when deploy/ is on shared/aws/call.ts
      "release-server/deploy/**",
    ],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='send']",
          message:
            "Send AWS SDK commands through awsSend/awsCall of shared/aws/call.ts, so a failure names the operation and its ids.",
        },
      ],
    },
  },
  {
    files: ["sim/**/*.ts"],
    rules: boundary([
      {
        group: ["**/agent/**", "**/release-server/**", "**/shared/**"],
        message: "sim/ imports nothing from the product, so a bug shared by both cannot hide.",
      },
    ]),
  },
);

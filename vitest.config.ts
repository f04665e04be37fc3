// Three suites: unit (pure, parallel), integration and e2e (real sim, sshd, loop devices,
// podman; one file at a time on these 2-core machines).
import { defineConfig } from "vitest/config";

// The tests run the executables from their TypeScript sources, never from a bundle in dist/ (bin/run.js).
process.env.ASG_RELEASE_FROM_SOURCE ??= "1";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

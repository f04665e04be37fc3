// The suites, run in this order (sequence.groupOrder), cheapest first: unit (pure), integration
// (the local region, sshd, loop devices, podman; several files at once: they mostly wait on
// timers, and each sim claims its own addresses), the integration files that look at state shared
// by the whole machine (one at a time, alone), and e2e (whole fleets; a few files at once).
// test/integration/README.md says what makes a file safe to run beside others.
import { defineConfig } from "vitest/config";
import { SlowFirstSequencer } from "./test/sequencer.js";

// Files that must run alone, after the parallel ones: they look at what the whole machine holds by
// a host's mount namespace number, which the kernel gives to the next new namespace (another file's
// host or podman) as soon as the host is gone, or at podman's cgroup parents that all hosts share.
// sim-cli-reclaim and sim-hosts-boot reclaim the state of a killed sim by those numbers, and would
// kill another file's processes.
const SERIAL = [
  "test/integration/sim-cli-reclaim.test.ts",
  "test/integration/sim-hosts-boot.test.ts",
  "test/integration/sim-hosts-full.test.ts",
];

const heavy = {
  pool: "forks" as const,
  // The shared registry and image, started on first use (test/global-setup.ts).
  globalSetup: ["test/global-setup.ts"],
};

// The tests run the executables from their TypeScript sources, never from a bundle in dist/ (bin/run.js).
process.env.ASG_RELEASE_FROM_SOURCE ??= "1";

export default defineConfig({
  test: {
    // Forks at once, for every parallel suite (on these 2-core machines, the heavy suites mostly wait).
    maxWorkers: 3,
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], sequence: { groupOrder: 0 } } },
      {
        test: {
          ...heavy,
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          exclude: SERIAL,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...heavy,
          name: "integration-serial",
          include: SERIAL,
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          ...heavy,
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});

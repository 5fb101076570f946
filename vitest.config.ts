import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Handlers log JSON lines; tests read results, not logs (set WAYMARK_TEST_LOGS=1 to see them).
    env: {
      POWERTOOLS_LOG_LEVEL: process.env.WAYMARK_TEST_LOGS ? "DEBUG" : "SILENT",
      POWERTOOLS_METRICS_DISABLED: "true",
    },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: { name: "integration", include: ["test/integration/**/*.test.ts"], testTimeout: 60_000 },
      },
      {
        extends: true,
        test: {
          name: "infra",
          include: ["test/infra/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 60_000 },
      },
      {
        // The console in headless Chromium (the machine's package, driven by playwright-core).
        extends: true,
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        // `npm pack` (a full build) and an `npm install` into a fresh project: minutes on a slow machine.
        extends: true,
        test: {
          name: "consumer",
          include: ["test/consumer/**/*.test.ts"],
          testTimeout: 600_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});

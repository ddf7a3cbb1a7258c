import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Checks that ../shared is there and builds dist/ once, before any test runs.
    globalSetup: ["test/support/global-setup.ts"],
    // Tests start real HTTP servers on ephemeral loopback ports; a generous timeout
    // covers a slow CI machine, never a timing goal (those live in bench/).
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
  },
});

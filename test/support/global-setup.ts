import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { FIXTURES_DIR } from "./feed-server.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Runs once before the suite: stops at once, with one line, when the shared fixtures are not
 * beside the repository (instead of dozens of ENOENT failures), and compiles `dist/` so the
 * tests that start `npm start` and `bin/opsfeed.js` run what operators run, not a stale build.
 */
export default function setup(): void {
  if (!existsSync(FIXTURES_DIR)) {
    process.stderr.write(
      `opsfeed tests: the shared fixtures are missing: expected ${fileURLToPath(FIXTURES_DIR)} (a checkout of shared/ beside this repository)\n`,
    );
    process.exit(1);
  }
  execFileSync(
    process.execPath,
    [`${repoRoot}node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"],
    {
      cwd: repoRoot,
      stdio: "inherit",
    },
  );
}

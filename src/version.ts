import { existsSync, readFileSync } from "node:fs";

/**
 * opsfeed's package.json, found by walking up from this file: it is one folder up from
 * `src/version.ts` and two from the compiled `dist/src/version.js`.
 */
function packageJson(): { version: string } {
  for (let dir = new URL("../", import.meta.url); ; dir = new URL("../", dir)) {
    const candidate = new URL("package.json", dir);
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, "utf8"));
    if (dir.pathname === "/") throw new Error("opsfeed: package.json not found above src/version");
  }
}

/** opsfeed's version, from package.json. */
export const VERSION: string = packageJson().version;

/** The User-Agent opsfeed sends to feed servers. */
export const USER_AGENT = `opsfeed/${VERSION} (+https://github.com/opsfeed/opsfeed)`;

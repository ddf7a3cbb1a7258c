import { readFileSync } from "node:fs";

/** opsfeed's version, from package.json. */
export const VERSION: string = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;

/** The User-Agent opsfeed sends to feed servers. */
export const USER_AGENT = `opsfeed/${VERSION} (+https://github.com/opsfeed/opsfeed)`;

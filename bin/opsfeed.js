#!/usr/bin/env node
// The operator CLI, compiled to dist/ by `npm run build` (which `npm install` runs).
import { existsSync } from "node:fs";

const cli = new URL("../dist/src/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("opsfeed: dist/ is missing; run `npm run build` (npm install does it)\n");
  process.exit(1);
}
const { runCli } = await import(cli.href);
process.exitCode = await runCli(process.argv.slice(2));

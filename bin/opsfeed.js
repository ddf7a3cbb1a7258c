#!/usr/bin/env node
// The operator CLI. opsfeed runs its TypeScript sources through tsx, so there is no build step.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/cli.ts");
process.exitCode = await runCli(process.argv.slice(2));

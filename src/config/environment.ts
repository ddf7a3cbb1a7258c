import { existsSync } from "node:fs";

/**
 * Reads `.env` from the working directory into `process.env` when there is one. Variables
 * already set in the environment win, so a deployment can override the file.
 */
export function loadDotEnv(path = ".env"): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

import { loadDotEnv } from "./config/environment.js";
import { readSettings } from "./config/settings.js";
import { createLogger } from "./logger.js";
import { type RunningOpsfeed, startOpsfeed, TokenRejectedError } from "./runtime.js";

/** `npm start`: validate settings, start opsfeed, and stop gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  loadDotEnv();
  const result = readSettings(process.env);
  if (!result.ok) {
    // One line per problem, before Slack or the database is touched.
    for (const problem of result.problems) process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  const logger = createLogger(result.settings.logLevel);
  let running: RunningOpsfeed;
  try {
    running = await startOpsfeed(result.settings, logger);
  } catch (error) {
    if (error instanceof TokenRejectedError) process.stderr.write(`${error.message}\n`);
    else logger.error("opsfeed could not start", { error });
    process.exit(1);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      logger.error("error while stopping", { error });
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // A bug in one request must not take the whole team's bot down; it is logged with context.
  process.on("unhandledRejection", (reason) => logger.error("unhandled rejection", { reason }));
}

await main();

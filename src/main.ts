import { loadDotEnv } from "./config/environment.js";
import { readSettings } from "./config/settings.js";
import { SettingError } from "./errors.js";
import { loggerFor } from "./logger.js";
import { type RunningOpsfeed, startOpsfeed } from "./wiring.js";

/** `npm start`: validate settings, start opsfeed, and stop gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  loadDotEnv();
  const result = readSettings(process.env);
  if (!result.ok) {
    // One line per problem, before Slack or the database is touched.
    for (const problem of result.problems) process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  const logger = loggerFor(result.settings);
  let running: RunningOpsfeed | null = null;
  let stopRequested: string | null = null;

  const stop = async (signal: string) => {
    logger.info("stopping", { signal });
    try {
      await running?.stop();
      process.exit(0);
    } catch (error) {
      logger.error("error while stopping", { error });
      process.exit(1);
    }
  };
  // Handlers go in before start-up: a signal that arrives while starting still stops cleanly.
  const onSignal = (signal: string) => {
    if (stopRequested) return;
    stopRequested = signal;
    if (running) void stop(signal);
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));

  try {
    running = await startOpsfeed(result.settings, logger);
  } catch (error) {
    // A setting that explains the failure is the one line to show; anything else is a bug.
    if (error instanceof SettingError) process.stderr.write(`${error.message}\n`);
    else logger.error("opsfeed could not start", { error });
    process.exit(1);
  }
  if (stopRequested) await stop(stopRequested);

  // A bug in one request must not take the whole team's bot down; it is logged with context.
  process.on("unhandledRejection", (reason) => logger.error("unhandled rejection", { reason }));
}

await main();

import type { Settings } from "./config/settings.js";
import { buildJobs } from "./jobs/index.js";
import { createScheduler } from "./jobs/scheduler.js";
import type { Logger } from "./logger.js";
import type { Services } from "./services.js";
import { createOpsfeedApp } from "./slack/app.js";
import { migrateToLatest, openDatabase } from "./store/database.js";

export { TokenRejectedError } from "./slack/app.js";

/** A started opsfeed: its port (HTTP mode), its services, and how to stop it. */
export interface RunningOpsfeed {
  port: number | null;
  services: Services;
  /** stops serving Slack, then the jobs (waiting for runs in progress), then closes the database */
  stop(): Promise<void>;
}

/**
 * Starts opsfeed with valid settings: opens and migrates the database, checks the tokens
 * with Slack while connecting, serves Slack, and starts the recurring jobs.
 */
export async function startOpsfeed(
  settings: Settings,
  logger: Logger,
  options: { clock?: () => Date; startJobs?: boolean } = {},
): Promise<RunningOpsfeed> {
  const db = openDatabase(settings.databaseUrl);
  try {
    await migrateToLatest(db);
    const opsfeed = createOpsfeedApp(settings, db, logger, options.clock);
    const port = await opsfeed.start();
    const scheduler = createScheduler(buildJobs(opsfeed.services), logger);
    if (options.startJobs !== false) scheduler.start();
    logger.info(port === null ? "opsfeed connected to Slack in Socket Mode" : "opsfeed listening", {
      port,
      database: settings.databaseUrl,
    });
    return {
      port,
      services: opsfeed.services,
      async stop() {
        await opsfeed.stop();
        await scheduler.stop();
        await db.destroy();
        logger.info("opsfeed stopped");
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

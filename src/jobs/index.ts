import type { Services } from "../services.js";
import type { Job } from "./scheduler.js";

/** The recurring jobs of a running opsfeed: a feature adds its job here. */
export function buildJobs(services: Services): Job[] {
  const { logger } = services;
  return [
    {
      name: "poll-feeds",
      cron: services.settings.pollCron,
      run: async () => {
        // Every process ticks at the same minute: a feed attempted since it began is not due.
        const tick = new Date(Math.floor(services.clock().getTime() / 60_000) * 60_000);
        const outcomes = await services.feeds.pollDue({ dueSince: tick });
        logger.info("poll finished", {
          feeds: outcomes.length,
          newArticles: outcomes.reduce((sum, outcome) => sum + outcome.newArticles, 0),
          errors: outcomes.filter((outcome) => outcome.result === "error").length,
        });
        // What this poll found for realtime subscriptions goes out now, not at the next tick.
        await services.realtime.deliverDue();
      },
    },
    {
      name: "realtime",
      cron: realtimeCron(services.settings.realtimePollSeconds),
      run: async () => {
        // Feeds of realtime subscriptions due for their short interval, then their posts.
        const outcomes = await services.feeds.pollRealtimeDue();
        const channels = await services.realtime.deliverDue();
        if (outcomes.length > 0 || channels > 0) {
          logger.info("realtime poll finished", {
            feeds: outcomes.length,
            newArticles: outcomes.reduce((sum, outcome) => sum + outcome.newArticles, 0),
            channels,
          });
        }
      },
    },
    {
      name: "post-due-digests",
      cron: services.settings.digestCron,
      run: async () => {
        // Messages waiting to be posted or confirmed, then digests, then lagging digest lines.
        await services.delivery.deliverDue();
        const results = await services.digests.runDue();
        await services.digestLines.refreshStale();
        if (results.length > 0) {
          logger.info("scheduled digests done", {
            channels: results.length,
            posted: results.filter((r) => r.outcome.status === "posted").length,
          });
        }
      },
    },
    {
      name: "index-search",
      cron: SEARCH_INDEX_CRON,
      run: async () => {
        const indexed = await services.search.indexBacklog();
        if (indexed > 0) logger.info("search index caught up", { documents: indexed });
      },
    },
    {
      name: "send-reminders",
      cron: "* * * * *",
      run: async () => {
        const recorded = await services.reminders.sendDue();
        if (recorded > 0) logger.info("reminders sent", { reminders: recorded });
      },
    },
    {
      name: "post-weekly-reports",
      cron: "* * * * *",
      run: async () => {
        const posted = await services.reports.runDue();
        if (posted > 0) logger.info("weekly reports posted", { channels: posted });
      },
    },
    // OPSFEED_RETENTION_DAYS=0 keeps everything: no prune job at all.
    ...(services.settings.retentionDays > 0
      ? [
          {
            name: "prune-retention",
            cron: RETENTION_CRON,
            // The use case logs what it pruned; under its lease one process of several prunes.
            run: async () => {
              await services.retention.prune();
            },
          },
        ]
      : []),
  ];
}

/**
 * When the search indexer looks for newly stored articles: every 10 seconds. What a poll
 * stored is searchable at once (read row by row); indexed, searching it is fast again.
 */
export const SEARCH_INDEX_CRON = "*/10 * * * * *";

/** When the retention prune runs: daily at 03:17 UTC, off the hour when other jobs gather. */
export const RETENTION_CRON = "17 3 * * *";

/**
 * When the realtime job ticks: every `min(interval, 60 s)` (node-cron's six-field crons count
 * seconds), so a feed due every two minutes is fetched within seconds of being due.
 */
export function realtimeCron(intervalSeconds: number): string {
  if (intervalSeconds >= 60) return "0 * * * * *";
  return `*/${Math.max(10, Math.floor(intervalSeconds))} * * * * *`;
}

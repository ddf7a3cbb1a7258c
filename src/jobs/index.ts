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
        const outcomes = await services.feeds.pollDue();
        logger.info("poll finished", {
          feeds: outcomes.length,
          newArticles: outcomes.reduce((sum, outcome) => sum + outcome.newArticles, 0),
          errors: outcomes.filter((outcome) => outcome.result === "error").length,
        });
      },
    },
    {
      name: "post-due-digests",
      cron: "* * * * *",
      run: async () => {
        const results = await services.digests.runDue();
        for (const { outcome } of results) services.metrics.digestPosted(outcome.status);
        if (results.length > 0) {
          logger.info("scheduled digests done", {
            channels: results.length,
            posted: results.filter((r) => r.outcome.status === "posted").length,
          });
        }
      },
    },
  ];
}

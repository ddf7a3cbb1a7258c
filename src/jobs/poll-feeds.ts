import { type PollDeps, pollDueFeeds } from "../feeds/poller.js";
import type { Services } from "../services.js";
import { createFeedNotifier } from "../slack/feed-notifier.js";
import type { Job } from "./scheduler.js";

/** What polling needs, from the running app's services. */
export function pollDepsOf(services: Services): PollDeps {
  return {
    db: services.db,
    clock: services.clock,
    fetcher: services.fetcher,
    logger: services.logger,
    notify: createFeedNotifier(services.slack, services.logger, services.settings.locale),
  };
}

/** The job that polls due feeds on OPSFEED_POLL_CRON. */
export function pollFeedsJob(services: Services): Job {
  const deps = pollDepsOf(services);
  return {
    name: "poll-feeds",
    cron: services.settings.pollCron,
    run: async () => {
      const outcomes = await pollDueFeeds(deps);
      services.logger.info("poll finished", {
        feeds: outcomes.length,
        newArticles: outcomes.reduce((sum, outcome) => sum + outcome.newArticles, 0),
        errors: outcomes.filter((outcome) => outcome.result === "error").length,
      });
    },
  };
}

import type { DigestDeps } from "../digest/digest-service.js";
import { runDueDigests } from "../digest/due-digests.js";
import type { Services } from "../services.js";
import { createDigestPoster } from "../slack/digest-poster.js";
import { renderDigestMessages } from "../slack/render/digest.js";
import type { Job } from "./scheduler.js";

/** Slack allows about one message a second in a channel. */
export const PAUSE_BETWEEN_MESSAGES_MS = 1100;

/** What posting digests needs, from the running app's services. */
export function digestDepsOf(
  services: Services,
  pause: () => Promise<void> = () =>
    new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_MESSAGES_MS)),
): DigestDeps {
  return {
    db: services.db,
    clock: services.clock,
    logger: services.logger,
    maxArticles: services.settings.digestMaxArticles,
    render: (content, timeZone) =>
      renderDigestMessages(services.settings.locale, content, timeZone).map((message) => ({
        payload: { text: message.text, blocks: message.blocks, metadata: message.metadata },
        articleIds: message.articleIds,
      })),
    poster: createDigestPoster(services.slack),
    pause,
  };
}

/** The job that posts due digests, once a minute. */
export function digestJob(services: Services): Job {
  const deps = digestDepsOf(services);
  return {
    name: "post-due-digests",
    cron: "* * * * *",
    run: async () => {
      const results = await runDueDigests(deps);
      if (results.length > 0) {
        services.logger.info("scheduled digests done", {
          channels: results.length,
          posted: results.filter((r) => r.outcome.status === "posted").length,
        });
      }
    },
  };
}

import type { DigestDeps } from "../digest/digest-service.js";
import { runDueDigests } from "../digest/due-digests.js";
import type { Locale } from "../i18n/locale.js";
import type { Services } from "../services.js";
import { createDigestPoster } from "../slack/digest-poster.js";
import { renderDigestMessages } from "../slack/render/digest.js";
import type { Job } from "./scheduler.js";

/** Slack allows about one message a second in a channel. */
export const PAUSE_BETWEEN_MESSAGES_MS = 1100;

/** Waits long enough between two messages to one channel. */
export function pauseBetweenMessages(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_MESSAGES_MS));
}

/** Renders digests as the Slack messages the poster sends, in `locale`. */
export function renderDigestForSlack(locale: Locale): DigestDeps["render"] {
  return (content, timeZone) =>
    renderDigestMessages(locale, content, timeZone).map((message) => ({
      payload: { text: message.text, blocks: message.blocks, metadata: message.metadata },
      articleIds: message.articleIds,
    }));
}

/** What posting digests needs, from the running app's services. */
export function digestDepsOf(
  services: Services,
  pause: () => Promise<void> = pauseBetweenMessages,
): DigestDeps {
  return {
    db: services.db,
    clock: services.clock,
    logger: services.logger,
    maxArticles: services.settings.digestMaxArticles,
    render: renderDigestForSlack(services.settings.locale),
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

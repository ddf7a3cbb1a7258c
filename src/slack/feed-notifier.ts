import type { FeedNotifier } from "../feeds/poller.js";
import type { Services } from "../services.js";
import { renderFeedNotice } from "./render/subscriptions.js";
import { slackErrorCode } from "./slack-errors.js";

/**
 * Posts a feed's outage or recovery notice to each subscribed channel, in the workspace's
 * default language (a channel has no language of its own). A channel that cannot be posted
 * to is logged and skipped; the others still get the notice.
 */
export function createFeedNotifier(
  services: Pick<Services, "slack" | "logger" | "settings">,
): FeedNotifier {
  return async (channelIds, notice) => {
    const message = renderFeedNotice(services.settings.locale, notice);
    for (const channel of channelIds) {
      try {
        await services.slack.chat.postMessage({
          channel,
          ...message,
          unfurl_links: false,
          unfurl_media: false,
        });
        services.logger.info("feed notice posted", {
          channel,
          notice: notice.kind,
          feedUrl: notice.feedUrl,
        });
      } catch (error) {
        services.logger.warn("could not post a feed notice", {
          channel,
          notice: notice.kind,
          slackError: slackErrorCode(error) ?? (error as Error).message,
        });
      }
    }
  };
}

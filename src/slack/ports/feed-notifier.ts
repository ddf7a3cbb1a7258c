import type { webApi } from "@slack/bolt";
import type { FeedNotifier } from "../../feeds/poller.js";
import type { Locale } from "../../i18n/locale.js";
import type { Logger } from "../../logger.js";
import { renderFeedNotice } from "../render/subscriptions.js";
import { slackErrorCode } from "../slack-errors.js";

/**
 * Posts a feed's outage or recovery notice to each subscribed channel, in the workspace's
 * default language (a channel has no language of its own). A channel that cannot be posted
 * to is logged and skipped; the others still get the notice.
 */
export function createFeedNotifier(
  slack: webApi.WebClient,
  logger: Logger,
  locale: Locale,
): FeedNotifier {
  return async (channelIds, notice) => {
    const message = renderFeedNotice(locale, notice);
    for (const channel of channelIds) {
      try {
        await slack.chat.postMessage({
          channel,
          ...message,
          unfurl_links: false,
          unfurl_media: false,
        });
        logger.info("feed notice posted", {
          channel,
          notice: notice.kind,
          feedUrl: notice.feedUrl,
        });
      } catch (error) {
        logger.warn("could not post a feed notice", {
          channel,
          notice: notice.kind,
          slackError: slackErrorCode(error) ?? (error as Error).message,
        });
      }
    }
  };
}

import type { webApi } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import type { Permalinks } from "../../subscriptions/why.js";
import { slackErrorCode } from "../slack-errors.js";

/** Links to posted messages through `chat.getPermalink`; a refusal or no answer gives null. */
export function createPermalinks(client: webApi.WebClient, logger: Logger): Permalinks {
  return {
    async permalink(channelId, ts) {
      try {
        const answer = await client.chat.getPermalink({ channel: channelId, message_ts: ts });
        return typeof answer.permalink === "string" ? answer.permalink : null;
      } catch (error) {
        logger.warn("could not get a message's permalink", {
          channel: channelId,
          ts,
          error: slackErrorCode(error) ?? String(error),
        });
        return null;
      }
    },
  };
}

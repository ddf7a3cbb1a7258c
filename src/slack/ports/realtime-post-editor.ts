import type { types, webApi } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import type { RealtimePostEditor } from "../../realtime/types.js";
import { isPermanentSlackError, slackErrorCode } from "../slack-errors.js";

/** Errors after which editing the message again cannot help: it is gone or cannot be edited. */
const GIVE_UP = new Set(["message_not_found", "cant_update_message", "edit_window_closed"]);

/**
 * Edits a posted realtime message with `chat.update` so its first line shows the article's
 * latest title and state. A message that is gone (deleted, channel archived) counts as done,
 * so opsfeed does not try it again and again; anything else is tried again on the next run.
 */
export function createRealtimePostEditor(
  slack: webApi.WebClient,
  logger: Logger,
): RealtimePostEditor {
  return async ({ channelId, ts, payload }) => {
    const { text, blocks } = payload as { text: string; blocks?: types.KnownBlock[] };
    try {
      await slack.chat.update({ channel: channelId, ts, text, ...(blocks ? { blocks } : {}) });
      logger.info("realtime post updated", { channel: channelId, ts });
      return true;
    } catch (error) {
      const code = slackErrorCode(error);
      const hopeless = isPermanentSlackError(error) || (code !== null && GIVE_UP.has(code));
      logger.warn("could not update a realtime post", {
        channel: channelId,
        ts,
        slackError: code ?? (error as Error).message,
        retry: !hopeless,
      });
      return hopeless;
    }
  };
}

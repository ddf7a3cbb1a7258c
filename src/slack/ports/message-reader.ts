import type { webApi } from "@slack/bolt";
import { AppError } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { LinkedMessage, MessageReader } from "../../queue/saved-links.js";
import { linksOfMessage } from "../message-links.js";
import { slackErrorCode } from "../slack-errors.js";

/** Slack errors that mean the message is simply not there (deleted, or never a message). */
const GONE = new Set(["thread_not_found", "message_not_found"]);

/**
 * Reads one message of a channel, the way Slack documents it: `conversations.history` with
 * `latest` = `oldest` = its ts and `inclusive` finds a message in the channel itself (or a
 * reply also sent to the channel); a reply inside a thread is only in
 * `conversations.replies`, which accepts the ts of any message of the thread and always
 * starts with the thread's parent.
 */
export function createMessageReader(client: webApi.WebClient, logger: Logger): MessageReader {
  const window = (ts: string) => ({ latest: ts, oldest: ts, inclusive: true });
  return {
    async read(channelId, ts): Promise<LinkedMessage | null> {
      try {
        const history = await client.conversations.history({
          channel: channelId,
          ...window(ts),
          limit: 1,
        });
        let message = history.messages?.find((candidate) => candidate.ts === ts);
        if (!message) {
          // The parent comes first and then the reply; two cover both.
          const replies = await client.conversations.replies({
            channel: channelId,
            ts,
            ...window(ts),
            limit: 2,
          });
          message = replies.messages?.find((candidate) => candidate.ts === ts);
        }
        if (!message) return null;
        const threadTs =
          message.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : null;
        return { links: linksOfMessage(message), threadTs };
      } catch (error) {
        const code = slackErrorCode(error);
        if (code !== null && GONE.has(code)) return null;
        logger.warn("could not read a reacted message", {
          channel: channelId,
          slackError: code ?? (error as Error).message,
        });
        throw new AppError("links.message-unreadable", {
          error: code ?? "no answer",
        });
      }
    },
  };
}

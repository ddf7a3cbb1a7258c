import type { webApi } from "@slack/bolt";
import { DigestPostError, type DigestPoster } from "../../digest/digest-service.js";
import { DIGEST_METADATA_EVENT, type DigestMetadataPayload } from "../ids.js";
import { isPermanentSlackError, slackErrorCode } from "../slack-errors.js";

/** How far back a resumed digest looks for its parts in the channel's history. */
const HISTORY_LOOKBACK = 100;

/**
 * Posts digest messages with chat.postMessage (link unfurling off; WebClient waits out a
 * 429's Retry-After and retries), and finds parts already posted by their metadata.
 */
export function createDigestPoster(slack: webApi.WebClient): DigestPoster {
  return {
    async post(channelId, payload) {
      try {
        const answer = await slack.chat.postMessage({
          ...(payload as { text: string }),
          channel: channelId,
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!answer.ts) throw new DigestPostError("no_ts", false);
        return answer.ts;
      } catch (error) {
        if (error instanceof DigestPostError) throw error;
        const code = slackErrorCode(error) ?? (error as { code?: string }).code ?? "request_failed";
        throw new DigestPostError(code, isPermanentSlackError(error));
      }
    },
    async findPosted(channelId, digestId, part) {
      try {
        const history = await slack.conversations.history({
          channel: channelId,
          limit: HISTORY_LOOKBACK,
          include_all_metadata: true,
        });
        const found = history.messages?.find((message) => {
          const metadata = message.metadata as
            | { event_type?: string; event_payload?: Partial<DigestMetadataPayload> }
            | undefined;
          return (
            metadata?.event_type === DIGEST_METADATA_EVENT &&
            Number(metadata.event_payload?.digest_id) === digestId &&
            Number(metadata.event_payload?.part) === part
          );
        });
        return found?.ts ?? null;
      } catch (error) {
        const code = slackErrorCode(error) ?? "request_failed";
        throw new DigestPostError(code, isPermanentSlackError(error));
      }
    },
  };
}

/** Slack allows about one message a second in a channel. */
export const PAUSE_BETWEEN_MESSAGES_MS = 1100;

/** Waits long enough between two messages to one channel. */
export function pauseBetweenMessages(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_MESSAGES_MS));
}

import type { Outbox } from "../delivery/outbox.js";
import type { MessagePayload } from "../delivery/types.js";
import type { FeedNotice, FeedNotifier } from "./poller.js";

/** The outbox key of one channel's notice: one per outage (or recovery from it) and channel. */
function noticeKey(notice: FeedNotice, channelId: string): string {
  const since = notice.kind === "outage" ? notice.failingSince : notice.outageNotifiedAt;
  return `notice:${notice.feedId}:${notice.kind}:${since}:${channelId}`;
}

/**
 * Feed notices through the outbox: recorded with the decision that they are due, then posted
 * to each channel once. `render` turns a notice into the message the channels read.
 */
export function createOutboxFeedNotifier(
  outbox: Outbox,
  render: (notice: FeedNotice) => MessagePayload,
): FeedNotifier {
  return {
    record: (trx, notice, channelIds) =>
      outbox.enqueue(
        trx,
        channelIds.map((channelId) => ({
          key: noticeKey(notice, channelId),
          kind: "notice",
          channelId,
          userId: null,
          threadTs: null,
          payload: render(notice),
        })),
      ),
    async send(keys) {
      await Promise.all(keys.map((key) => outbox.deliver(key)));
    },
  };
}

import type { Leases } from "../delivery/leases.js";
import type { Outbox } from "../delivery/outbox.js";
import { matchesFilters } from "../feeds/filters.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/types.js";
import type { Db } from "../store/database.js";
import type { StoredFetch } from "../store/feeds.js";
import { getOutgoing, markAbandoned, setOutgoingThread } from "../store/outbox.js";
import {
  firstFeedOf,
  insertRealtimePost,
  insertRealtimeUpdate,
  listPendingRealtime,
  listRealtimeChannelsDue,
  listStaleRealtimePosts,
  markRealtimeShown,
  realtimeArticles,
  realtimePostsOf,
  realtimeSubscriptionsOfFeed,
} from "../store/realtime.js";
import { recordArticlesReached } from "../store/visibility.js";
import type { RealtimePostEditor, RealtimeRenderer } from "./types.js";

/** The outbox key of a realtime post: what tags it in Slack, and what makes it posted once. */
export function realtimePostKey(subscriptionId: number, articleId: number): string {
  return `realtime:${subscriptionId}:${articleId}`;
}

/** The outbox key of one change of a realtime post, posted once in its thread. */
export function realtimeUpdateKey(channelId: string, articleId: number, revision: number): string {
  return `realtime-update:${channelId}:${articleId}:${revision}`;
}

/** The lease that makes one process at a time post a channel's realtime messages, in order. */
function channelLease(channelId: string): string {
  return `realtime:${channelId}`;
}

/** How many channels get their realtime messages at once (each paced on its own). */
export const REALTIME_CHANNEL_CONCURRENCY = 4;

/** What realtime posting needs. */
export interface RealtimeDeps {
  db: Db;
  clock: () => Date;
  logger: Logger;
  outbox: Outbox;
  leases: Leases;
  render: RealtimeRenderer;
  edit: RealtimePostEditor;
  metrics: Metrics;
  /** waits between two messages to one channel (Slack allows about one a second) */
  pause(): Promise<void>;
}

/**
 * Realtime subscriptions: `record` runs inside the transaction that stores a fetched feed and
 * writes, for each realtime subscription of the feed, a post of each new article that passes
 * its filters and a thread reply for each change of an article it posted, all in the outbox;
 * `deliverDue` sends what waits, channel by channel, in order and paced, and edits each post
 * whose article changed so it shows the latest title and state.
 */
export function createRealtimeService(deps: RealtimeDeps) {
  const { db, logger } = deps;

  /** Writes the posts and updates a stored fetch calls for, inside its transaction. */
  const record = async (trx: Db, stored: StoredFetch): Promise<number> => {
    if (stored.newArticleIds.length === 0 && stored.changedArticles.length === 0) return 0;
    const subscriptions = await realtimeSubscriptionsOfFeed(trx, stored.feedId);
    if (subscriptions.length === 0) return 0;
    const now = deps.clock().toISOString();
    let recorded = 0;

    const fresh = await realtimeArticles(trx, stored.feedId, stored.newArticleIds);
    for (const subscription of subscriptions) {
      for (const article of fresh) {
        if (!matchesFilters(article, subscription.filters)) continue;
        const key = realtimePostKey(subscription.id, article.articleId);
        const added = await insertRealtimePost(
          trx,
          {
            channelId: subscription.channelId,
            articleId: article.articleId,
            subscriptionId: subscription.id,
            outboxKey: key,
            sortAt: article.publishedAt,
            revision: article.revision,
          },
          now,
        );
        // Posted in this channel already (another feed carried it): never twice.
        if (!added) continue;
        await deps.outbox.enqueue(trx, [
          {
            key,
            kind: "realtime",
            channelId: subscription.channelId,
            userId: null,
            threadTs: null,
            payload: deps.render.post(article, subscription.mention),
          },
        ]);
        // Shown in the channel: its members may see the article from now on, subscribed or not.
        await recordArticlesReached(
          trx,
          subscription.channelId,
          [article.articleId],
          "realtime",
          now,
        );
        recorded++;
      }
    }

    const changes = new Map(stored.changedArticles.map((change) => [change.articleId, change]));
    if (changes.size === 0) return recorded;
    const changed = await realtimeArticles(trx, stored.feedId, [...changes.keys()]);
    const posts = await realtimePostsOf(
      trx,
      [...new Set(subscriptions.map((subscription) => subscription.channelId))],
      [...changes.keys()],
    );
    for (const post of posts) {
      const article = changed.find((candidate) => candidate.articleId === post.articleId);
      const change = changes.get(post.articleId);
      // A post Slack refused for good has no thread to reply in.
      if (!article || !change || post.status === "failed" || post.status === "parked") continue;
      const key = realtimeUpdateKey(post.channelId, article.articleId, article.revision);
      const added = await insertRealtimeUpdate(
        trx,
        {
          outboxKey: key,
          channelId: post.channelId,
          articleId: article.articleId,
          revision: article.revision,
        },
        now,
      );
      if (!added) continue;
      await deps.outbox.enqueue(trx, [
        {
          key,
          kind: "realtime",
          channelId: post.channelId,
          userId: null,
          threadTs: post.status === "sent" ? post.ts : null,
          payload: deps.render.update({
            article,
            previousTitle: change.previousTitle,
            previousSummary: change.previousSummary,
          }),
        },
      ]);
      recorded++;
    }
    return recorded;
  };

  /** Edits a channel's posts whose article changed since they were posted (or last edited). */
  const editStale = async (channelId: string) => {
    for (const stale of await listStaleRealtimePosts(db, channelId)) {
      const feedId = stale.feedId ?? (await firstFeedOf(db, stale.articleId));
      const [article] =
        feedId === null ? [] : await realtimeArticles(db, feedId, [stale.articleId]);
      if (!article) continue;
      const edited = await deps.edit({
        channelId,
        ts: stale.ts,
        payload: deps.render.post(article, stale.mention),
      });
      if (edited) await markRealtimeShown(db, channelId, stale.articleId, article.revision);
    }
  };

  /** Sends a channel's waiting realtime messages in order, pacing them; stops at the first that waits. */
  const deliverChannel = async (channelId: string) => {
    const log = logger.child({ channel: channelId });
    let postedBefore = false;
    for (const message of await listPendingRealtime(db, channelId)) {
      if (message.kind === "update" && message.threadTs === null) {
        const post = await getOutgoing(db, message.postKey);
        if (post?.status === "failed" || post?.status === "parked") {
          await markAbandoned(db, message.key, "failed", "post_not_posted", 1);
          continue;
        }
        // The post waits (rate limit, unconfirmed): its replies wait with it.
        if (post?.status !== "sent" || !post.ts) break;
        await setOutgoingThread(db, message.key, post.ts);
      }
      if (postedBefore) await deps.pause();
      const result = await deps.outbox.deliver(message.key);
      if (result.status === "sent") {
        postedBefore = true;
        deps.metrics.realtimePosted("posted");
        continue;
      }
      if (result.status === "waiting") {
        log.info("realtime posts wait", { reason: result.reason, retryAt: result.retryAt });
        break;
      }
      deps.metrics.realtimePosted("failed");
      log.warn("Slack refused a realtime post", { message: message.key, error: result.error });
    }
    await editStale(channelId);
  };

  return {
    record,
    /** sends every channel's waiting realtime messages and edits posts that lag; how many channels */
    async deliverDue(): Promise<number> {
      const channels = await listRealtimeChannelsDue(db, deps.clock().toISOString());
      const queue = [...channels];
      const worker = async () => {
        for (let channelId = queue.shift(); channelId; channelId = queue.shift()) {
          const current = channelId;
          try {
            await deps.leases.run(channelLease(current), () => deliverChannel(current));
          } catch (error) {
            logger.warn("could not deliver realtime posts", { channel: current, error });
          }
        }
      };
      await Promise.all(Array.from({ length: REALTIME_CHANNEL_CONCURRENCY }, worker));
      return channels.length;
    },
  };
}

/** The realtime use cases, as the composition root builds them. */
export type RealtimeService = ReturnType<typeof createRealtimeService>;

import type { SubscriptionFilters } from "../feeds/types.js";
import type { RealtimeArticle } from "../realtime/types.js";
import type { Db } from "./database.js";
import { filtersOf } from "./subscriptions.js";

/*
 * Realtime posts: which article each channel's realtime subscription posted (its outbox
 * message, in order of publication), and each later change of it posted in the post's thread.
 */

/** A realtime subscription of a feed, with what its posts need. */
export interface RealtimeSubscription {
  id: number;
  channelId: string;
  mention: string | null;
  filters: SubscriptionFilters;
}

/** The realtime subscriptions of a feed. */
export async function realtimeSubscriptionsOfFeed(
  db: Db,
  feedId: number,
): Promise<RealtimeSubscription[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .select(["id", "channel_id", "mention", "include_words", "exclude_words", "min_bookmarks"])
    .where("feed_id", "=", feedId)
    .where("mode", "=", "realtime")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    channelId: row.channel_id,
    mention: row.mention,
    filters: filtersOf(row),
  }));
}

/** Articles as realtime posts show them, with `source` the given feed's title; in publication order. */
export async function realtimeArticles(
  db: Db,
  feedId: number,
  articleIds: number[],
): Promise<Array<RealtimeArticle & { bookmarkCount: number | null }>> {
  if (articleIds.length === 0) return [];
  const feed = await db
    .selectFrom("feeds")
    .select("title")
    .where("id", "=", feedId)
    .executeTakeFirst();
  const rows = await db
    .selectFrom("articles")
    .select([
      "id",
      "title",
      "url",
      "summary",
      "published_at",
      "first_seen_at",
      "revision",
      "bookmark_count",
    ])
    .where("id", "in", articleIds)
    .execute();
  return rows
    .map((row) => ({
      articleId: row.id,
      title: row.title,
      url: row.url,
      summary: row.summary,
      source: feed?.title ?? "",
      publishedAt: row.published_at ?? row.first_seen_at,
      revision: row.revision,
      bookmarkCount: row.bookmark_count,
    }))
    .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.articleId - b.articleId);
}

/** Records a channel's realtime post of an article; false when the channel already had one. */
export async function insertRealtimePost(
  db: Db,
  post: {
    channelId: string;
    articleId: number;
    subscriptionId: number;
    outboxKey: string;
    sortAt: string;
    revision: number;
  },
  now: string,
): Promise<boolean> {
  const result = await db
    .insertInto("realtime_posts")
    .values({
      channel_id: post.channelId,
      article_id: post.articleId,
      subscription_id: post.subscriptionId,
      outbox_key: post.outboxKey,
      sort_at: post.sortAt,
      shown_revision: post.revision,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(["channel_id", "article_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** A channel's realtime post of an article, with its delivery state. */
export interface RealtimePostState {
  channelId: string;
  articleId: number;
  subscriptionId: number;
  outboxKey: string;
  status: string;
  ts: string | null;
  shownRevision: number;
}

/** The realtime posts of these articles in these channels. */
export async function realtimePostsOf(
  db: Db,
  channelIds: string[],
  articleIds: number[],
): Promise<RealtimePostState[]> {
  if (channelIds.length === 0 || articleIds.length === 0) return [];
  const rows = await db
    .selectFrom("realtime_posts as p")
    .innerJoin("outbox as o", "o.key", "p.outbox_key")
    .select([
      "p.channel_id",
      "p.article_id",
      "p.subscription_id",
      "p.outbox_key",
      "p.shown_revision",
      "o.status",
      "o.ts",
    ])
    .where("p.channel_id", "in", channelIds)
    .where("p.article_id", "in", articleIds)
    .execute();
  return rows.map((row) => ({
    channelId: row.channel_id,
    articleId: row.article_id,
    subscriptionId: row.subscription_id,
    outboxKey: row.outbox_key,
    status: row.status,
    ts: row.ts,
    shownRevision: row.shown_revision,
  }));
}

/** Records an update of a realtime post; false when that revision was recorded already. */
export async function insertRealtimeUpdate(
  db: Db,
  update: { outboxKey: string; channelId: string; articleId: number; revision: number },
  now: string,
): Promise<boolean> {
  const result = await db
    .insertInto("realtime_updates")
    .values({
      outbox_key: update.outboxKey,
      channel_id: update.channelId,
      article_id: update.articleId,
      revision: update.revision,
      created_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Channels with realtime messages waiting to be sent by `now`, or posts whose text lags behind. */
export async function listRealtimeChannelsDue(db: Db, now: string): Promise<string[]> {
  const posts = db
    .selectFrom("realtime_posts as r")
    .innerJoin("outbox as o", "o.key", "r.outbox_key")
    .select("r.channel_id")
    .distinct()
    .where("o.status", "=", "pending")
    .where((eb) => eb.or([eb("o.next_attempt_at", "is", null), eb("o.next_attempt_at", "<=", now)]))
    .execute();
  const updates = db
    .selectFrom("realtime_updates as r")
    .innerJoin("outbox as o", "o.key", "r.outbox_key")
    .select("r.channel_id")
    .distinct()
    .where("o.status", "=", "pending")
    .where((eb) => eb.or([eb("o.next_attempt_at", "is", null), eb("o.next_attempt_at", "<=", now)]))
    .execute();
  const [postRows, updateRows, stale] = await Promise.all([
    posts,
    updates,
    db
      .selectFrom("realtime_posts as p")
      .innerJoin("articles as a", "a.id", "p.article_id")
      .innerJoin("outbox as o", "o.key", "p.outbox_key")
      .innerJoin("subscriptions as s", "s.id", "p.subscription_id")
      .select("p.channel_id")
      .distinct()
      .where("o.status", "=", "sent")
      .where("s.mode", "=", "realtime")
      .whereRef("a.revision", ">", "p.shown_revision")
      .execute(),
  ]);
  return [...new Set([...postRows, ...updateRows, ...stale].map((row) => row.channel_id))].sort();
}

/** A realtime message of a channel waiting to be sent: a post, or an update in a post's thread. */
export type PendingRealtime =
  | { kind: "post"; key: string; articleId: number }
  | { kind: "update"; key: string; articleId: number; postKey: string; threadTs: string | null };

/**
 * A channel's realtime messages waiting to be sent, in the order they go out: posts in order of
 * publication, then updates in the order they happened.
 */
export async function listPendingRealtime(db: Db, channelId: string): Promise<PendingRealtime[]> {
  const posts = await db
    .selectFrom("realtime_posts as p")
    .innerJoin("outbox as o", "o.key", "p.outbox_key")
    .select(["p.outbox_key", "p.article_id"])
    .where("p.channel_id", "=", channelId)
    .where("o.status", "=", "pending")
    .orderBy("p.sort_at")
    .orderBy("p.article_id")
    .execute();
  const updates = await db
    .selectFrom("realtime_updates as u")
    .innerJoin("outbox as o", "o.key", "u.outbox_key")
    .innerJoin("realtime_posts as p", (join) =>
      join.onRef("p.channel_id", "=", "u.channel_id").onRef("p.article_id", "=", "u.article_id"),
    )
    .select(["u.outbox_key", "u.article_id", "p.outbox_key as post_key", "o.thread_ts"])
    .where("u.channel_id", "=", channelId)
    .where("o.status", "=", "pending")
    .orderBy("u.created_at")
    .orderBy("u.article_id")
    .orderBy("u.revision")
    .execute();
  return [
    ...posts.map((row) => ({
      kind: "post" as const,
      key: row.outbox_key,
      articleId: row.article_id,
    })),
    ...updates.map((row) => ({
      kind: "update" as const,
      key: row.outbox_key,
      articleId: row.article_id,
      postKey: row.post_key,
      threadTs: row.thread_ts,
    })),
  ];
}

/** A channel's posted realtime posts whose message shows an older revision than the article's. */
export async function listStaleRealtimePosts(
  db: Db,
  channelId: string,
): Promise<
  Array<{
    articleId: number;
    feedId: number | null;
    ts: string;
    revision: number;
    mention: string | null;
  }>
> {
  const rows = await db
    .selectFrom("realtime_posts as p")
    .innerJoin("articles as a", "a.id", "p.article_id")
    .innerJoin("outbox as o", "o.key", "p.outbox_key")
    // Only while the channel still follows it in realtime: an unsubscribed post is left as it is.
    .innerJoin("subscriptions as s", "s.id", "p.subscription_id")
    .select(["p.article_id", "o.ts", "a.revision", "s.mention", "s.feed_id"])
    .where("s.mode", "=", "realtime")
    .where("p.channel_id", "=", channelId)
    .where("o.status", "=", "sent")
    .whereRef("a.revision", ">", "p.shown_revision")
    .orderBy("p.sort_at")
    .execute();
  return rows.flatMap((row) =>
    row.ts
      ? [
          {
            articleId: row.article_id,
            feedId: row.feed_id,
            ts: row.ts,
            revision: row.revision,
            mention: row.mention,
          },
        ]
      : [],
  );
}

/** Records that a posted realtime message now shows the article up to `revision`. */
export async function markRealtimeShown(
  db: Db,
  channelId: string,
  articleId: number,
  revision: number,
): Promise<void> {
  await db
    .updateTable("realtime_posts")
    .set({ shown_revision: revision })
    .where("channel_id", "=", channelId)
    .where("article_id", "=", articleId)
    .where("shown_revision", "<", revision)
    .execute();
}

/** The first feed carrying an article (for its source name), if any. */
export async function firstFeedOf(db: Db, articleId: number): Promise<number | null> {
  const row = await db
    .selectFrom("feed_articles")
    .select("feed_id")
    .where("article_id", "=", articleId)
    .orderBy("feed_id")
    .limit(1)
    .executeTakeFirst();
  return row?.feed_id ?? null;
}

/** The ts of the realtime post that showed an article in a channel, once posted, or null. */
export async function findRealtimePostTs(
  db: Db,
  channelId: string,
  articleId: number,
): Promise<string | null> {
  const row = await db
    .selectFrom("realtime_posts as p")
    .innerJoin("outbox as o", "o.key", "p.outbox_key")
    .select("o.ts")
    .where("p.channel_id", "=", channelId)
    .where("p.article_id", "=", articleId)
    .where("o.status", "=", "sent")
    .executeTakeFirst();
  return row?.ts ?? null;
}

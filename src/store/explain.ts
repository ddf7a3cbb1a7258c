import type { SubscriptionFilters } from "../feeds/types.js";
import type { Db } from "./database.js";
import { filtersOf } from "./subscriptions.js";

/*
 * What `why` reads: which of a channel's subscriptions carry an article, which digests of the
 * channel showed it, and how else it reached the channel. Reads only.
 */

/** The fields of an article the filters look at. */
export interface FilterFields {
  title: string;
  summary: string | null;
  bookmarkCount: number | null;
}

/** An article's title, summary and bookmark count as stored now, or null. */
export async function articleFilterFields(db: Db, articleId: number): Promise<FilterFields | null> {
  const row = await db
    .selectFrom("articles")
    .select(["title", "summary", "bookmark_count"])
    .where("id", "=", articleId)
    .executeTakeFirst();
  return row ? { title: row.title, summary: row.summary, bookmarkCount: row.bookmark_count } : null;
}

/** A subscription of the channel whose feed carries the article, with the feed's health. */
export interface CarryingSubscription {
  subscriptionId: number;
  subscribedAt: string;
  filters: SubscriptionFilters;
  feedTitle: string;
  feedUrl: string;
  /** when this feed first carried the article */
  firstSeenAt: string;
  lastErrorCode: string | null;
  lastErrorParams: Record<string, string | number>;
  failingSince: string | null;
  consecutiveFailures: number;
}

/** The channel's subscriptions whose feeds carry the article, oldest subscription first. */
export async function subscriptionsCarrying(
  db: Db,
  channelId: string,
  articleId: number,
): Promise<CarryingSubscription[]> {
  const rows = await db
    .selectFrom("subscriptions as s")
    .innerJoin("feeds as f", "f.id", "s.feed_id")
    .innerJoin("feed_articles as fa", "fa.feed_id", "s.feed_id")
    .select([
      "s.id",
      "s.created_at",
      "s.include_words",
      "s.exclude_words",
      "s.min_bookmarks",
      "f.title",
      "f.url",
      "fa.first_seen_at",
      "f.last_error_code",
      "f.last_error_params",
      "f.failing_since",
      "f.consecutive_failures",
    ])
    .where("s.channel_id", "=", channelId)
    .where("fa.article_id", "=", articleId)
    .orderBy("s.id")
    .execute();
  return rows.map((row) => ({
    subscriptionId: row.id,
    subscribedAt: row.created_at,
    filters: filtersOf(row),
    feedTitle: row.title,
    feedUrl: row.url,
    firstSeenAt: row.first_seen_at,
    lastErrorCode: row.last_error_code,
    lastErrorParams: row.last_error_params ? JSON.parse(row.last_error_params) : {},
    failingSince: row.failing_since,
    consecutiveFailures: row.consecutive_failures,
  }));
}

/** A digest of the channel that holds the article, and the message that carries it. */
export interface DigestShowing {
  digestId: number;
  /** 'claimed' (being posted) or 'posted' */
  status: string;
  claimedAt: string;
  postedAt: string | null;
  /** the carrying message's ts once Slack accepted it */
  ts: string | null;
}

/** The channel's digests that hold the article (a channel is shown an article once). */
export async function digestsShowing(
  db: Db,
  channelId: string,
  articleId: number,
): Promise<DigestShowing[]> {
  const rows = await db
    .selectFrom("digest_articles as da")
    .innerJoin("digests as d", "d.id", "da.digest_id")
    .innerJoin("digest_messages as dm", (join) =>
      join
        .onRef("dm.digest_id", "=", "da.digest_id")
        .onRef("dm.message_index", "=", "da.message_index"),
    )
    .innerJoin("outbox as o", "o.key", "dm.outbox_key")
    .select(["d.id", "d.status", "d.claimed_at", "d.posted_at", "o.ts", "o.status as sent"])
    .where("da.channel_id", "=", channelId)
    .where("da.article_id", "=", articleId)
    .orderBy("d.id")
    .execute();
  return rows.map((row) => ({
    digestId: row.id,
    status: row.status,
    claimedAt: row.claimed_at,
    postedAt: row.posted_at,
    ts: row.sent === "sent" ? row.ts : null,
  }));
}

/** How the article first reached the channel ('digest', 'realtime', 'save', 'comment'), if it did. */
export async function articleReachedChannel(
  db: Db,
  channelId: string,
  articleId: number,
): Promise<Array<{ via: string; at: string }>> {
  const rows = await db
    .selectFrom("article_channels")
    .select(["via", "first_at"])
    .where("channel_id", "=", channelId)
    .where("article_id", "=", articleId)
    .execute();
  return rows.map((row) => ({ via: row.via, at: row.first_at }));
}

/** The Hatena bookmark counts of articles, as stored now (digest lines show them). */
export async function bookmarkCounts(
  db: Db,
  articleIds: number[],
): Promise<Map<number, number | null>> {
  if (articleIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("articles")
    .select(["id", "bookmark_count"])
    .where("id", "in", articleIds)
    .execute();
  return new Map(rows.map((row) => [row.id, row.bookmark_count]));
}

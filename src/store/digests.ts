import type { SubscriptionFilters } from "../feeds/types.js";
import type { Db } from "./database.js";
import { filtersOf } from "./subscriptions.js";

/*
 * Digests: each one claimed (its articles and rendered messages written) before anything is
 * posted, each message's ts recorded as Slack accepts it.
 */

/** An article a channel's next digest may hold, with the filters of the subscription that carried it. */
export interface DigestCandidate {
  articleId: number;
  title: string;
  url: string;
  summary: string | null;
  bookmarkCount: number | null;
  bookmarkCommentsUrl: string | null;
  publishedAt: string | null;
  firstSeenAt: string;
  /** the title of the feed that carried it */
  source: string;
  filters: SubscriptionFilters;
}

/**
 * The articles of a channel's subscriptions it has never been shown, first seen by their
 * feed since `since` (or carried by a subscription added since then), by subscription: one
 * row per subscription that carries the article.
 */
export async function listDigestCandidates(
  db: Db,
  channelId: string,
  since: string | null,
): Promise<DigestCandidate[]> {
  const rows = await db
    .selectFrom("subscriptions as s")
    .innerJoin("feeds as f", "f.id", "s.feed_id")
    .innerJoin("feed_articles as fa", "fa.feed_id", "s.feed_id")
    .innerJoin("articles as a", "a.id", "fa.article_id")
    .select([
      "a.id",
      "a.title",
      "a.url",
      "a.summary",
      "a.bookmark_count",
      "a.bookmark_comments_url",
      "a.published_at",
      "a.first_seen_at",
      "f.title as source",
      "s.include_words",
      "s.exclude_words",
      "s.min_bookmarks",
    ])
    .where("s.channel_id", "=", channelId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("digest_articles as da")
            .select("da.article_id")
            .where("da.channel_id", "=", channelId)
            .whereRef("da.article_id", "=", "a.id"),
        ),
      ),
    )
    .$if(since !== null, (qb) =>
      qb.where((eb) =>
        // ">=": an article stored in the same millisecond as the previous claim is not lost;
        // one that digest already showed is excluded above.
        eb.or([
          eb("fa.first_seen_at", ">=", since as string),
          eb("s.created_at", ">=", since as string),
        ]),
      ),
    )
    .orderBy("s.id")
    .execute();
  return rows.map((row) => ({
    articleId: row.id,
    title: row.title,
    url: row.url,
    summary: row.summary,
    bookmarkCount: row.bookmark_count,
    bookmarkCommentsUrl: row.bookmark_comments_url,
    publishedAt: row.published_at,
    firstSeenAt: row.first_seen_at,
    source: row.source,
    filters: filtersOf(row),
  }));
}

/** A digest to claim: its channel, what triggered it, when, and how many articles. */
export interface DigestClaim {
  channelId: string;
  trigger: string;
  claimedAt: string;
  articleCount: number;
  overflowCount: number;
}

/** Inserts a claimed digest's row; at most one unfinished digest per channel (a unique index). */
export async function insertClaimedDigest(db: Db, claim: DigestClaim): Promise<number> {
  const digest = await db
    .insertInto("digests")
    .values({
      channel_id: claim.channelId,
      status: "claimed",
      trigger: claim.trigger,
      claimed_at: claim.claimedAt,
      article_count: claim.articleCount,
      overflow_count: claim.overflowCount,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return digest.id;
}

/** Inserts one message of a claimed digest and the articles it shows, with their positions. */
export async function insertDigestMessage(
  db: Db,
  message: {
    digestId: number;
    channelId: string;
    index: number;
    payload: string;
    articles: Array<{ articleId: number; position: number }>;
  },
): Promise<void> {
  await db
    .insertInto("digest_messages")
    .values({
      digest_id: message.digestId,
      message_index: message.index,
      channel_id: message.channelId,
      payload: message.payload,
    })
    .execute();
  for (const article of message.articles) {
    await db
      .insertInto("digest_articles")
      .values({
        digest_id: message.digestId,
        channel_id: message.channelId,
        article_id: article.articleId,
        position: article.position,
        message_index: message.index,
      })
      .execute();
  }
}

/** The channel's unfinished (claimed, not yet posted) digest, if any. */
export async function findClaimedDigestId(db: Db, channelId: string): Promise<number | null> {
  const row = await db
    .selectFrom("digests")
    .select("id")
    .where("channel_id", "=", channelId)
    .where("status", "=", "claimed")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Every unfinished digest, with its channel. */
export async function listClaimedDigests(
  db: Db,
): Promise<Array<{ id: number; channelId: string }>> {
  const rows = await db
    .selectFrom("digests")
    .select(["id", "channel_id"])
    .where("status", "=", "claimed")
    .execute();
  return rows.map((row) => ({ id: row.id, channelId: row.channel_id }));
}

/** A digest's status ('claimed', 'posted', 'failed'), or null when there is no such digest. */
export async function digestStatus(db: Db, digestId: number): Promise<string | null> {
  const row = await db
    .selectFrom("digests")
    .select("status")
    .where("id", "=", digestId)
    .executeTakeFirst();
  return row?.status ?? null;
}

/** A digest's messages in order, with the ts of those already posted. */
export async function listDigestMessages(
  db: Db,
  digestId: number,
): Promise<Array<{ index: number; ts: string | null; payload: string | null }>> {
  const rows = await db
    .selectFrom("digest_messages")
    .select(["message_index", "ts", "payload"])
    .where("digest_id", "=", digestId)
    .orderBy("message_index")
    .execute();
  return rows.map((row) => ({ index: row.message_index, ts: row.ts, payload: row.payload }));
}

/** Records the ts Slack gave a digest message. */
export async function markDigestMessagePosted(
  db: Db,
  digestId: number,
  index: number,
  ts: string,
  now: string,
): Promise<void> {
  await db
    .updateTable("digest_messages")
    .set({ ts, posted_at: now })
    .where("digest_id", "=", digestId)
    .where("message_index", "=", index)
    .execute();
}

/** Closes a digest as posted; returns when it was claimed and its counts. */
export async function markDigestPosted(
  db: Db,
  digestId: number,
  now: string,
): Promise<{ claimedAt: string; articleCount: number; overflowCount: number }> {
  const row = await db
    .updateTable("digests")
    .set({ status: "posted", posted_at: now })
    .where("id", "=", digestId)
    .returning(["claimed_at", "article_count", "overflow_count"])
    .executeTakeFirstOrThrow();
  return {
    claimedAt: row.claimed_at,
    articleCount: row.article_count,
    overflowCount: row.overflow_count,
  };
}

/**
 * Closes a digest as failed with `code`, releasing the articles of the messages never posted
 * so a later digest can show them.
 */
export async function markDigestFailed(db: Db, digestId: number, code: string): Promise<void> {
  const unposted = await db
    .selectFrom("digest_messages")
    .select("message_index")
    .where("digest_id", "=", digestId)
    .where("ts", "is", null)
    .execute();
  const indexes = unposted.map((row) => row.message_index);
  if (indexes.length > 0) {
    await db
      .deleteFrom("digest_articles")
      .where("digest_id", "=", digestId)
      .where("message_index", "in", indexes)
      .execute();
  }
  await db
    .updateTable("digests")
    .set({ status: "failed", error_code: code })
    .where("id", "=", digestId)
    .execute();
}

/** The digest messages that carried an article, in any channel. */
export async function listMessagesCarrying(
  db: Db,
  articleId: number,
): Promise<Array<{ digestId: number; index: number }>> {
  const rows = await db
    .selectFrom("digest_articles")
    .select(["digest_id", "message_index"])
    .where("article_id", "=", articleId)
    .execute();
  return rows.map((row) => ({ digestId: row.digest_id, index: row.message_index }));
}

/** A posted digest message as claimed (channel, ts, payload) and the articles it shows. */
export async function getPostedDigestMessage(
  db: Db,
  digestId: number,
  index: number,
): Promise<{ channelId: string; ts: string; payload: string; articleIds: number[] } | null> {
  const message = await db
    .selectFrom("digest_messages")
    .select(["channel_id", "ts", "payload"])
    .where("digest_id", "=", digestId)
    .where("message_index", "=", index)
    .executeTakeFirst();
  if (!message?.ts || !message.payload) return null;
  const articles = await db
    .selectFrom("digest_articles")
    .select("article_id")
    .where("digest_id", "=", digestId)
    .where("message_index", "=", index)
    .execute();
  return {
    channelId: message.channel_id,
    ts: message.ts,
    payload: message.payload,
    articleIds: articles.map((row) => row.article_id),
  };
}

/** The ts of the posted digest message that carried an article in a channel, or null. */
export async function findDigestMessageTs(
  db: Db,
  channelId: string,
  articleId: number,
): Promise<string | null> {
  const row = await db
    .selectFrom("digest_articles as da")
    .innerJoin("digest_messages as dm", (join) =>
      join
        .onRef("dm.digest_id", "=", "da.digest_id")
        .onRef("dm.message_index", "=", "da.message_index"),
    )
    .select("dm.ts")
    .where("da.channel_id", "=", channelId)
    .where("da.article_id", "=", articleId)
    .where("dm.ts", "is not", null)
    .executeTakeFirst();
  return row?.ts ?? null;
}

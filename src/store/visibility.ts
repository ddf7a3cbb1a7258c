import type { Db } from "./database.js";

/*
 * Where articles went: which channels an article reached (a digest, a realtime post, a
 * comment made there, a message there whose link someone saved, or a subscription of the
 * channel carrying it), and which articles are a user's own (their queue, their assignments).
 */

/** How an article reached a channel. */
export type ReachedVia = "digest" | "realtime" | "save" | "comment";

/** Records that articles reached a channel (the first way they did is kept). */
export async function recordArticlesReached(
  db: Db,
  channelId: string,
  articleIds: number[],
  via: ReachedVia,
  now: string,
): Promise<void> {
  const unique = [...new Set(articleIds)];
  // One statement per chunk, not per article: a digest reaches dozens at once.
  for (let start = 0; start < unique.length; start += ROWS_PER_INSERT) {
    await db
      .insertInto("article_channels")
      .values(
        unique.slice(start, start + ROWS_PER_INSERT).map((articleId) => ({
          channel_id: channelId,
          article_id: articleId,
          via,
          first_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(["channel_id", "article_id"]).doNothing())
      .execute();
  }
}

/** Rows per multi-row insert: well under SQLite's limit of bound variables per statement. */
const ROWS_PER_INSERT = 500;

/** Every channel an article reached, or whose subscriptions carry it. */
export async function channelsOfArticle(db: Db, articleId: number): Promise<string[]> {
  const [reached, subscribed] = await Promise.all([
    db
      .selectFrom("article_channels")
      .select("channel_id")
      .where("article_id", "=", articleId)
      .execute(),
    db
      .selectFrom("subscriptions as s")
      .innerJoin("feed_articles as fa", "fa.feed_id", "s.feed_id")
      .select("s.channel_id")
      .where("fa.article_id", "=", articleId)
      .execute(),
  ]);
  return [...new Set([...reached, ...subscribed].map((row) => row.channel_id))].sort();
}

/** True when the article is in the user's queue or in an assignment to or by them. */
export async function isUsersOwnArticle(
  db: Db,
  userId: string,
  articleId: number,
): Promise<boolean> {
  const [queued, assigned] = await Promise.all([
    db
      .selectFrom("read_later")
      .select("article_id")
      .where("user_id", "=", userId)
      .where("article_id", "=", articleId)
      .executeTakeFirst(),
    db
      .selectFrom("assignments")
      .select("id")
      .where("article_id", "=", articleId)
      .where((eb) => eb.or([eb("assignee_id", "=", userId), eb("assigner_id", "=", userId)]))
      .executeTakeFirst(),
  ]);
  return queued !== undefined || assigned !== undefined;
}

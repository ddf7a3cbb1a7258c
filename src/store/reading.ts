import type { ArticleSummary } from "../queue/types.js";
import { firstFeedTitle } from "./articles.js";
import type { Db } from "./database.js";
import { reusableQuery } from "./reusable-query.js";

/*
 * Each user's read-later queue (あとで読む) and the articles they have read.
 */

/** Puts an article in a user's queue once, however often asked; true when it was added. */
export async function insertReadLater(
  db: Db,
  entry: { userId: string; articleId: number; channelId: string | null },
  now: string,
): Promise<boolean> {
  const result = await db
    .insertInto("read_later")
    .values({
      user_id: entry.userId,
      article_id: entry.articleId,
      channel_id: entry.channelId,
      saved_at: now,
    })
    .onConflict((oc) => oc.columns(["user_id", "article_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** How many articles are in a user's queue. */
export async function countReadLater(db: Db, userId: string): Promise<number> {
  const total = await db
    .selectFrom("read_later")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  return Number(total.n);
}

/** A page of a user's queue with the queue's length, built once per dialect (see reusableQuery). */
const laterPageOf = reusableQuery((db, values: { userId: string; offset: number; limit: number }) =>
  db
    .selectFrom("read_later as r")
    .innerJoin("articles as a", "a.id", "r.article_id")
    .select((eb) => [
      "r.saved_at",
      "a.id",
      "a.title",
      "a.url",
      "a.bookmark_count",
      firstFeedTitle(eb),
      eb.fn.countAll<number | string>().over().as("total"),
    ])
    .where("r.user_id", "=", values.userId)
    .orderBy("r.saved_at", "desc")
    .orderBy("r.article_id", "desc")
    .limit(values.limit)
    .offset(values.offset),
);

/**
 * A page of a user's queue, newest first, with each article's summary and the whole queue's
 * size, in one query (the size by a window count). An offset past the end gives no items and
 * a total of null: the caller counts separately then.
 */
export async function readLaterPage(
  db: Db,
  userId: string,
  offset: number,
  limit: number,
): Promise<{ items: Array<{ article: ArticleSummary; savedAt: string }>; total: number | null }> {
  const rows = await laterPageOf(db, { userId, offset, limit });
  return {
    items: rows.map((row) => ({
      article: {
        id: row.id,
        title: row.title,
        url: row.url,
        source: row.source ?? null,
        bookmarkCount: row.bookmark_count,
      },
      savedAt: row.saved_at,
    })),
    total: rows.length > 0 ? Number(rows[0]?.total) : null,
  };
}

/** Takes an article out of a user's queue; true when it was there. */
export async function deleteReadLater(db: Db, userId: string, articleId: number): Promise<boolean> {
  const removed = await db
    .deleteFrom("read_later")
    .where("user_id", "=", userId)
    .where("article_id", "=", articleId)
    .executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}

/** Records once that a user read an article. */
export async function insertArticleRead(
  db: Db,
  userId: string,
  articleId: number,
  now: string,
): Promise<void> {
  await db
    .insertInto("article_reads")
    .values({ user_id: userId, article_id: articleId, read_at: now })
    .onConflict((oc) => oc.columns(["user_id", "article_id"]).doNothing())
    .execute();
}

/** The channel a user saved an article from (null: from no channel), if it is in their queue. */
export async function readLaterChannel(
  db: Db,
  userId: string,
  articleId: number,
): Promise<{ channelId: string | null } | undefined> {
  const row = await db
    .selectFrom("read_later")
    .select("channel_id")
    .where("user_id", "=", userId)
    .where("article_id", "=", articleId)
    .executeTakeFirst();
  return row && { channelId: row.channel_id };
}

/** Where an article stands in a user's queue (0 = newest), or null when it is not in it. */
export async function queuePosition(
  db: Db,
  userId: string,
  articleId: number,
): Promise<number | null> {
  const entry = await db
    .selectFrom("read_later")
    .select("saved_at")
    .where("user_id", "=", userId)
    .where("article_id", "=", articleId)
    .executeTakeFirst();
  if (!entry) return null;
  // The queue's order: newest saved first, then the higher article id.
  const row = await db
    .selectFrom("read_later")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("user_id", "=", userId)
    .where((eb) =>
      eb.or([
        eb("saved_at", ">", entry.saved_at),
        eb.and([eb("saved_at", "=", entry.saved_at), eb("article_id", ">", articleId)]),
      ]),
    )
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

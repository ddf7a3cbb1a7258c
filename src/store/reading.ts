import type { Db } from "./database.js";

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

/** A slice of a user's queue, newest first. */
export async function listReadLater(
  db: Db,
  userId: string,
  offset: number,
  limit: number,
): Promise<Array<{ articleId: number; savedAt: string }>> {
  const rows = await db
    .selectFrom("read_later")
    .select(["article_id", "saved_at"])
    .where("user_id", "=", userId)
    .orderBy("saved_at", "desc")
    .orderBy("article_id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((row) => ({ articleId: row.article_id, savedAt: row.saved_at }));
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

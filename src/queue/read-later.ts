import type { Db } from "../store/database.js";
import { summariesOf } from "./articles.js";
import { QUEUE_PAGE_SIZE, type QueuePage } from "./types.js";

/** Puts an article in a user's queue once, however often it is asked; true when it was added. */
export async function saveForLater(
  db: Db,
  userId: string,
  articleId: number,
  channelId: string | null,
  now: string,
): Promise<boolean> {
  const result = await db
    .insertInto("read_later")
    .values({ user_id: userId, article_id: articleId, channel_id: channelId, saved_at: now })
    .onConflict((oc) => oc.columns(["user_id", "article_id"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** A page of a user's queue, newest first; nobody else's entries ever appear. */
export async function queuePage(
  db: Db,
  userId: string,
  offset = 0,
  pageSize = QUEUE_PAGE_SIZE,
): Promise<QueuePage> {
  const total = await db
    .selectFrom("read_later")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .executeTakeFirstOrThrow();
  const safeOffset = Math.max(0, Math.min(offset, Math.max(0, Number(total.n) - 1)));
  const rows = await db
    .selectFrom("read_later")
    .select(["article_id", "saved_at"])
    .where("user_id", "=", userId)
    .orderBy("saved_at", "desc")
    .orderBy("article_id", "desc")
    .limit(pageSize)
    .offset(safeOffset)
    .execute();
  const summaries = await summariesOf(
    db,
    rows.map((row) => row.article_id),
  );
  return {
    items: rows.flatMap((row) => {
      const article = summaries.get(row.article_id);
      return article ? [{ article, savedAt: row.saved_at }] : [];
    }),
    total: Number(total.n),
    offset: safeOffset,
    pageSize,
  };
}

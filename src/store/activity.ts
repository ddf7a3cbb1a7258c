import type { ArticleActivity } from "../digest/types.js";
import type { Db } from "./database.js";

/**
 * The team's activity on articles as one channel may see it: the saves, comments and open
 * assignments made in that channel (or in no channel, as from App Home), and how many people
 * read them. Another channel's activity never shows, so a public digest cannot reveal who was
 * assigned what in a private channel.
 */
export async function activityOf(
  db: Db,
  articleIds: number[],
  channelId: string,
): Promise<Map<number, ArticleActivity>> {
  const activity = new Map<number, ArticleActivity>(
    articleIds.map((id) => [id, { savedCount: 0, commentCount: 0, assigneeIds: [], doneCount: 0 }]),
  );
  if (articleIds.length === 0) return activity;
  const count = async (table: "read_later" | "comments") =>
    db
      .selectFrom(table)
      .select(["article_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("article_id", "in", articleIds)
      .where((eb) => eb.or([eb("channel_id", "=", channelId), eb("channel_id", "is", null)]))
      .groupBy("article_id")
      .execute();
  const [saved, comments, reads, assignees] = await Promise.all([
    count("read_later"),
    count("comments"),
    db
      .selectFrom("article_reads")
      .select(["article_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("article_id", "in", articleIds)
      .groupBy("article_id")
      .execute(),
    db
      .selectFrom("assignments")
      .select(["article_id", "assignee_id"])
      .where("article_id", "in", articleIds)
      .where("status", "=", "open")
      .where((eb) => eb.or([eb("channel_id", "=", channelId), eb("channel_id", "is", null)]))
      // Dialect difference: Postgres returns ties in another order than SQLite; break them by id.
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
  ]);
  for (const row of saved)
    (activity.get(row.article_id) as ArticleActivity).savedCount = Number(row.n);
  for (const row of comments)
    (activity.get(row.article_id) as ArticleActivity).commentCount = Number(row.n);
  for (const row of reads)
    (activity.get(row.article_id) as ArticleActivity).doneCount = Number(row.n);
  for (const row of assignees)
    (activity.get(row.article_id) as ArticleActivity).assigneeIds.push(row.assignee_id);
  return activity;
}

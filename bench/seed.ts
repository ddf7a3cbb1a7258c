import type { Db } from "../src/store/database.js";

/** A subscription row of the benchmarks: `channelId` to `feedId`, no filters. */
export function benchSubscription(channelId: string, feedId: number, now: string) {
  return {
    channel_id: channelId,
    feed_id: feedId,
    created_by: "UBENCH",
    include_words: "[]",
    exclude_words: "[]",
    created_at: now,
    updated_at: now,
  };
}

/** Stores one article carried by `feedId`, as a poll would have; returns its id. */
export async function insertFeedArticle(
  db: Db,
  feedId: number,
  article: { url: string; title: string },
  now: string,
): Promise<number> {
  const { id } = await db
    .insertInto("articles")
    .values({
      canonical_url: article.url,
      url: article.url,
      title: article.title,
      first_seen_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("feed_articles")
    .values({ feed_id: feedId, article_id: id, first_seen_at: now })
    .execute();
  return id;
}

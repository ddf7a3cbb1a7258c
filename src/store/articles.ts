import type { ArticleSummary } from "../queue/types.js";
import type { Db } from "./database.js";

/** The summaries of articles by id, each with the title of the first feed that carried it. */
export async function articleSummaries(
  db: Db,
  articleIds: number[],
): Promise<Map<number, ArticleSummary>> {
  if (articleIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("articles as a")
    .select((eb) => [
      "a.id",
      "a.title",
      "a.url",
      "a.bookmark_count",
      eb
        .selectFrom("feed_articles as fa")
        .innerJoin("feeds as f", "f.id", "fa.feed_id")
        .select("f.title")
        .whereRef("fa.article_id", "=", "a.id")
        .orderBy("fa.feed_id")
        .limit(1)
        .as("source"),
    ])
    .where("a.id", "in", articleIds)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        title: row.title,
        url: row.url,
        source: row.source ?? null,
        bookmarkCount: row.bookmark_count,
      },
    ]),
  );
}

/** The id of the article with this canonical URL, if opsfeed has seen it. */
export async function findArticleIdByCanonicalUrl(
  db: Db,
  canonicalUrl: string,
): Promise<number | null> {
  const row = await db
    .selectFrom("articles")
    .select("id")
    .where("canonical_url", "=", canonicalUrl)
    .executeTakeFirst();
  return row?.id ?? null;
}

import type { ArticleRef } from "../commands/parse-command.js";
import { AppError } from "../errors.js";
import { canonicalizeUrl } from "../feeds/canonical-url.js";
import type { Db } from "../store/database.js";
import type { ArticleSummary } from "./types.js";

/** The summaries of articles by id, each with the title of the first feed that carried it. */
export async function summariesOf(
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

/**
 * Finds the article a user means: its number, or any URL whose canonical form matches
 * (tracking parameters, fragment and case of the host do not matter).
 */
export async function resolveArticle(db: Db, ref: ArticleRef): Promise<ArticleSummary> {
  let id: number | undefined;
  if (ref.kind === "number") {
    id = ref.id;
  } else {
    const canonical = canonicalizeUrl(ref.url);
    const row = canonical
      ? await db
          .selectFrom("articles")
          .select("id")
          .where("canonical_url", "=", canonical)
          .executeTakeFirst()
      : undefined;
    id = row?.id;
  }
  const summary = id === undefined ? undefined : (await summariesOf(db, [id])).get(id);
  if (!summary) {
    throw new AppError("reading.article-not-found", {
      article: ref.kind === "number" ? `#${ref.id}` : ref.url,
    });
  }
  return summary;
}

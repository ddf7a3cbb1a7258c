import type { ExpressionBuilder } from "kysely";
import type { Database } from "../../db/schema.js";
import type { ArticleSummary } from "../queue/types.js";
import { type Db, inTransaction } from "./database.js";
import { reindexArticles } from "./search.js";

/**
 * The title of the first feed (lowest id) that carried article `a`, as column `source`: by
 * min() over the article's rows rather than an ORDER BY, which costs a temp B-tree sort per
 * article.
 */
export function firstFeedTitle(eb: ExpressionBuilder<Database & { a: Database["articles"] }, "a">) {
  return eb
    .selectFrom("feeds as f")
    .select("f.title")
    .where(
      "f.id",
      "=",
      eb
        .selectFrom("feed_articles as fa")
        .select((inner) => inner.fn.min("fa.feed_id").as("first_feed_id"))
        .whereRef("fa.article_id", "=", "a.id"),
    )
    .as("source");
}

/** The summaries of articles by id, each with the title of the first feed that carried it. */
export async function articleSummaries(
  db: Db,
  articleIds: number[],
): Promise<Map<number, ArticleSummary>> {
  if (articleIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("articles as a")
    .select((eb) => ["a.id", "a.title", "a.url", "a.bookmark_count", firstFeedTitle(eb)])
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

/** A web page someone saved, as an article: plain-text title and description. */
export interface PageArticle {
  canonicalUrl: string;
  url: string;
  title: string;
  summary: string | null;
}

/**
 * Stores a saved page as an article, once per canonical URL like feed articles: a page
 * already known (through a feed, or saved before) is left as it is. Returns the article's id.
 */
export async function insertPageArticle(db: Db, page: PageArticle, now: string): Promise<number> {
  return inTransaction(db, async (trx) => {
    const inserted = await trx
      .insertInto("articles")
      .values({
        canonical_url: page.canonicalUrl,
        url: page.url,
        title: page.title,
        summary: page.summary,
        author: null,
        published_at: null,
        first_seen_at: now,
        updated_at: now,
        bookmark_count: null,
        bookmark_comments_url: null,
        image_url: null,
      })
      .onConflict((oc) => oc.column("canonical_url").doNothing())
      .returning("id")
      .executeTakeFirst();
    const id = inserted?.id ?? (await findArticleIdByCanonicalUrl(trx, page.canonicalUrl));
    if (id === null) throw new Error(`article ${page.canonicalUrl} vanished after it was stored`);
    if (inserted) await reindexArticles(trx, [id]);
    return id;
  });
}

/** What the reader shows of an article beyond its summary line: its text and Hatena page. */
export async function articleDetails(
  db: Db,
  articleId: number,
): Promise<{ summary: string | null; bookmarkCommentsUrl: string | null } | undefined> {
  const row = await db
    .selectFrom("articles")
    .select(["summary", "bookmark_comments_url"])
    .where("id", "=", articleId)
    .executeTakeFirst();
  return row && { summary: row.summary, bookmarkCommentsUrl: row.bookmark_comments_url };
}

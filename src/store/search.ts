import { type RawBuilder, sql } from "kysely";
import {
  ARTICLE_SCOPE,
  charLength,
  type SearchDocument,
  searchDocuments,
  shortGramToken,
  shortGramTokens,
} from "../search/types.js";
import { type Db, dialectOf } from "./database.js";

/*
 * The search index (`search_documents`, migration 0008-search) and the queries over it. Every
 * store function that writes an article or a comment calls `reindexArticles` in its
 * transaction; deleting an article deletes its documents (foreign key, and on SQLite the
 * triggers that keep the FTS5 indexes in step).
 */

/** Articles reindexed per round of queries. */
const REINDEX_BATCH = 200;

/**
 * Brings the documents of these articles in step with their title, summary and comments:
 * unchanged documents are left alone, changed ones replaced, those of vanished scopes deleted.
 */
export async function reindexArticles(db: Db, articleIds: number[]): Promise<void> {
  const ids = [...new Set(articleIds)];
  for (let start = 0; start < ids.length; start += REINDEX_BATCH) {
    await reindexBatch(db, ids.slice(start, start + REINDEX_BATCH));
  }
}

async function reindexBatch(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const [articles, comments, existing] = await Promise.all([
    db.selectFrom("articles").select(["id", "title", "summary"]).where("id", "in", ids).execute(),
    db
      .selectFrom("comments")
      .select(["article_id", "channel_id", "text"])
      .where("article_id", "in", ids)
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
    db
      .selectFrom("search_documents")
      .select(["id", "article_id", "scope", "title", "body"])
      .where("article_id", "in", ids)
      .execute(),
  ]);
  const sqlite = dialectOf(db) === "sqlite";
  for (const article of articles) {
    const wanted = searchDocuments(
      article,
      comments
        .filter((comment) => comment.article_id === article.id)
        .map((comment) => ({ channelId: comment.channel_id, text: comment.text })),
    );
    const stored = existing.filter((row) => row.article_id === article.id);
    const keep = new Set<number>();
    const fresh: SearchDocument[] = [];
    for (const document of wanted) {
      const same = stored.find(
        (row) =>
          row.scope === document.scope &&
          row.title === document.title &&
          row.body === document.body,
      );
      if (same) keep.add(same.id);
      else fresh.push(document);
    }
    const stale = stored.filter((row) => !keep.has(row.id)).map((row) => row.id);
    if (stale.length > 0)
      await db.deleteFrom("search_documents").where("id", "in", stale).execute();
    for (const document of fresh) {
      const row = await db
        .insertInto("search_documents")
        .values({ article_id: article.id, ...document })
        .returning("id")
        .executeTakeFirstOrThrow();
      // Dialect difference: SQLite's short-word index is written here (its tokens are made in
      // JavaScript); the trigram index follows by trigger, Postgres's pg_trgm index by itself.
      if (sqlite) {
        await sql`insert into search_grams(rowid, grams) values (${row.id}, ${shortGramTokens(document.body)})`.execute(
          db,
        );
      }
    }
  }
}

/** A search over what one channel may see. */
export interface SearchQuery {
  channelId: string;
  /** normalized words, every one required */
  words: string[];
  /** the document scopes that may match: '' and the channels whose comments the user may read */
  scopes: string[];
  limit: number;
  offset: number;
}

/** `LIKE` pattern for a word anywhere, its wildcards escaped. */
function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** `column` contains `word` (normalized text on both sides); the same SQL on both dialects. */
function contains(column: string, word: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} like ${containsPattern(word)} escape '\\'`;
}

/** The documents (as `d`) holding every word. */
function matchCondition(db: Db, words: string[]): RawBuilder<boolean> {
  // Dialect difference: SQLite asks its FTS5 indexes (trigrams for words of three or more
  // characters, the gram index for shorter ones); Postgres's LIKE uses the pg_trgm index.
  if (dialectOf(db) === "postgres") {
    return sql<boolean>`(${sql.join(
      words.map((word) => contains("d.body", word)),
      sql` and `,
    )})`;
  }
  const long = words.filter((word) => charLength(word) >= 3);
  const short = words.filter((word) => charLength(word) < 3);
  const conditions: RawBuilder<boolean>[] = [];
  if (long.length > 0) {
    const phrases = long.map((word) => `"${word.replace(/"/g, '""')}"`).join(" AND ");
    conditions.push(
      sql<boolean>`d.id in (select rowid from search_trigrams where search_trigrams match ${phrases})`,
    );
  }
  if (short.length > 0) {
    const tokens = short.map(shortGramToken).join(" AND ");
    conditions.push(
      sql<boolean>`d.id in (select rowid from search_grams where search_grams match ${tokens})`,
    );
  }
  return sql<boolean>`(${sql.join(conditions, sql` and `)})`;
}

/** The article of document `d` reached the channel or is carried by one of its subscriptions. */
function visibleIn(channelId: string): RawBuilder<boolean> {
  return sql<boolean>`(exists (select 1 from article_channels ac
      where ac.article_id = d.article_id and ac.channel_id = ${channelId})
    or exists (select 1 from feed_articles fa join subscriptions s on s.feed_id = fa.feed_id
      where fa.article_id = d.article_id and s.channel_id = ${channelId}))`;
}

/**
 * The channels (other than this one) whose comments on articles this channel sees match the
 * words: the caller asks the access model which of them the user may read.
 */
export async function matchingCommentScopes(
  db: Db,
  query: { channelId: string; words: string[] },
  limit: number,
): Promise<string[]> {
  if (query.words.length === 0) return [];
  const rows = await db
    .selectFrom("search_documents as d")
    .select("d.scope")
    .distinct()
    .where("d.scope", "not in", [ARTICLE_SCOPE, query.channelId])
    .where(matchCondition(db, query.words))
    .where(visibleIn(query.channelId))
    .orderBy("d.scope")
    .limit(limit)
    .execute();
  return rows.map((row) => row.scope);
}

/**
 * The ids of the articles matching the query, best first: most words in the title, then the
 * newest (published, else first seen), then the highest number.
 */
export async function searchArticleIds(db: Db, query: SearchQuery): Promise<number[]> {
  if (query.words.length === 0 || query.scopes.length === 0) return [];
  const titleHits = sql.join(
    query.words.map((word) => sql`case when ${contains("d.title", word)} then 1 else 0 end`),
    sql` + `,
  );
  const rows = await db
    .selectFrom("search_documents as d")
    .innerJoin("articles as a", "a.id", "d.article_id")
    .select([
      "d.article_id as id",
      sql<number>`max(${titleHits})`.as("score"),
      sql<string>`coalesce(a.published_at, a.first_seen_at)`.as("at"),
    ])
    .where("d.scope", "in", query.scopes)
    .where(matchCondition(db, query.words))
    .where(visibleIn(query.channelId))
    .groupBy(["d.article_id", "a.published_at", "a.first_seen_at"])
    .orderBy("score", "desc")
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(query.limit)
    .offset(query.offset)
    .execute();
  return rows.map((row) => Number(row.id));
}

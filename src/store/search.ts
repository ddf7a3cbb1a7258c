import { type RawBuilder, sql } from "kysely";
import {
  ARTICLE_SCOPE,
  charLength,
  searchDocuments,
  shortGramToken,
  shortGramTokens,
} from "../search/types.js";
import { type Db, dialectOf, inTransaction } from "./database.js";
import { reusableRowsQuery } from "./reusable-query.js";

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
 * `texts` may give articles' title and summary as the caller just wrote them (not read again).
 */
export async function reindexArticles(
  db: Db,
  articleIds: number[],
  texts?: ReadonlyMap<number, ArticleText>,
): Promise<void> {
  const ids = [...new Set(articleIds)];
  for (let start = 0; start < ids.length; start += REINDEX_BATCH) {
    await reindexBatch(db, ids.slice(start, start + REINDEX_BATCH), texts);
  }
}

/** What an article's documents are made of besides its comments. */
type ArticleText = { title: string; summary: string | null };

type IdRow = { id: number };

const articleTextsOf = reusableRowsQuery((db, rows: IdRow[], _values: Record<never, never>) =>
  db
    .selectFrom("articles")
    .select(["id", "title", "summary"])
    .where(
      "id",
      "in",
      rows.map((row) => row.id),
    ),
);

const commentsOf = reusableRowsQuery((db, rows: IdRow[], _values: Record<never, never>) =>
  db
    .selectFrom("comments")
    .select(["article_id", "channel_id", "text"])
    .where(
      "article_id",
      "in",
      rows.map((row) => row.id),
    )
    .orderBy("created_at")
    .orderBy("id"),
);

const documentsOf = reusableRowsQuery((db, rows: IdRow[], _values: Record<never, never>) =>
  db
    .selectFrom("search_documents")
    .select(["id", "article_id", "scope", "title", "body"])
    .where(
      "article_id",
      "in",
      rows.map((row) => row.id),
    ),
);

type DocumentRow = { article_id: number; scope: string; title: string; body: string };

const insertDocuments = reusableRowsQuery(
  (db, rows: DocumentRow[], _values: Record<never, never>) =>
    db.insertInto("search_documents").values(rows),
);

async function reindexBatch(
  db: Db,
  ids: number[],
  texts: ReadonlyMap<number, ArticleText> | undefined,
): Promise<void> {
  if (ids.length === 0) return;
  const sqlite = dialectOf(db) === "sqlite";
  // Dialect difference: two Postgres transactions indexing one article (two comments at the
  // same moment, through two processes) would both insert its new document; the article's row
  // lock makes the second wait and read what the first wrote. (NO KEY UPDATE: a comment's
  // foreign key holds KEY SHARE on it.) SQLite's writers already take turns.
  if (!sqlite) {
    await db
      .selectFrom("articles")
      .select("id")
      .where("id", "in", ids)
      .orderBy("id")
      .forNoKeyUpdate()
      .execute();
  }
  const idRows = ids.map((id) => ({ id }));
  const unknown = idRows.filter((row) => !texts?.has(row.id));
  const [read, comments, existing] = await Promise.all([
    unknown.length > 0 ? articleTextsOf(db, unknown, {}) : [],
    commentsOf(db, idRows, {}),
    documentsOf(db, idRows, {}),
  ]);
  const articles = [
    ...read,
    ...idRows.flatMap((row) => {
      const text = texts?.get(row.id);
      return text ? [{ id: row.id, ...text }] : [];
    }),
  ];
  const stale: number[] = [];
  const fresh: DocumentRow[] = [];
  for (const article of articles) {
    const wanted = searchDocuments(
      article,
      comments
        .filter((comment) => comment.article_id === article.id)
        .map((comment) => ({ channelId: comment.channel_id, text: comment.text })),
    );
    const stored = existing.filter((row) => row.article_id === article.id);
    const keep = new Set<number>();
    for (const document of wanted) {
      const same = stored.find(
        (row) =>
          row.scope === document.scope &&
          row.title === document.title &&
          row.body === document.body,
      );
      if (same) keep.add(same.id);
      else fresh.push({ article_id: article.id, ...document });
    }
    for (const row of stored) if (!keep.has(row.id)) stale.push(row.id);
  }
  if (stale.length > 0) await db.deleteFrom("search_documents").where("id", "in", stale).execute();
  // Dialect difference: Postgres's pg_trgm index is written with the rows; SQLite's two FTS5
  // indexes are written later by `indexSearchBacklog` (migration 0011-search-backlog).
  if (fresh.length > 0) await insertDocuments(db, fresh, {});
}

/**
 * Search documents the SQLite indexer writes into its FTS5 indexes per transaction: about
 * 100 µs each, and a transaction runs without a break, so Slack requests wait at most ~5 ms
 * (100 a batch measured 28 ms ack p99 during a poll right after a 40,000-item feed; 50, 15 ms).
 */
export const SEARCH_BACKLOG_BATCH = 50;

/**
 * SQLite: writes up to `limit` documents of the backlog (those above `indexed_through`) into
 * the two FTS5 indexes and moves `indexed_through` past them, in one transaction, so of several
 * processes each document is indexed once. Returns how many it indexed (0: nothing waits).
 * Postgres has no backlog: its index is written with the rows.
 */
export async function indexSearchBacklog(
  db: Db,
  limit: number = SEARCH_BACKLOG_BATCH,
): Promise<number> {
  if (dialectOf(db) !== "sqlite") return 0;
  return inTransaction(db, async (trx) => {
    const through = await indexedThrough(trx);
    const documents = await trx
      .selectFrom("search_documents")
      .select(["id", "body"])
      .where("id", ">", through)
      .orderBy("id")
      .limit(limit)
      .execute();
    const last = documents.at(-1);
    if (!last) return 0;
    await sql`insert into search_trigrams(rowid, body) values ${sql.join(
      documents.map((document) => sql`(${document.id}, ${document.body})`),
    )}`.execute(trx);
    await sql`insert into search_grams(rowid, grams) values ${sql.join(
      documents.map((document) => sql`(${document.id}, ${shortGramTokens(document.body)})`),
    )}`.execute(trx);
    await trx
      .updateTable("search_index_progress")
      .set({ indexed_through: last.id })
      .where("id", "=", 1)
      .execute();
    return documents.length;
  });
}

/** SQLite: the highest search document id the FTS5 indexes hold. */
async function indexedThrough(db: Db): Promise<number> {
  const row = await db
    .selectFrom("search_index_progress")
    .select("indexed_through")
    .where("id", "=", 1)
    .executeTakeFirst();
  return Number(row?.indexed_through ?? 0);
}

/** SQLite: how many search documents wait for the indexer (0 on Postgres). */
export async function searchBacklogSize(db: Db): Promise<number> {
  if (dialectOf(db) !== "sqlite") return 0;
  const through = await indexedThrough(db);
  const row = await db
    .selectFrom("search_documents")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("id", ">", through)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
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

/** `d.body` holds every one of the words (checked row by row, or by pg_trgm on Postgres). */
function bodyHoldsAll(words: string[]): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(
    words.map((word) => contains("d.body", word)),
    sql` and `,
  )})`;
}

/**
 * Most matching documents ranked for one search: the most recently indexed ones. A query
 * matching more (a word in most articles, like の) is ranked among these; it keeps every
 * search within milliseconds on a million articles.
 */
export const MAX_RANKED_DOCUMENTS = 2_000;

/**
 * The documents (`d`: id, article_id, title) of the scopes holding every word, whose article
 * the channel sees, the most recently indexed first, at most MAX_RANKED_DOCUMENTS of them.
 */
async function candidates(db: Db, query: SearchQuery): Promise<RawBuilder<unknown>> {
  const scopes = sql.join(query.scopes);
  const visible = visibleIn(query.channelId);
  // Dialect difference: on SQLite one FTS5 index drives (the trigrams of the words of three or
  // more characters, or the grams of the shorter ones: whichever matches fewer rows), newest
  // row first, and the other words are checked on the row; Postgres's LIKE uses pg_trgm.
  if (dialectOf(db) === "postgres") {
    return sql`(select d.id, d.article_id, d.title from search_documents d
      where d.scope in (${scopes}) and ${bodyHoldsAll(query.words)} and ${visible}
      order by d.id desc limit ${MAX_RANKED_DOCUMENTS})`;
  }
  // The backlog (documents the indexer has not reached, the newest) is read row by row; the
  // indexes answer for the rest, up to the same id, so each document is counted once.
  const through = await indexedThrough(db);
  const indexed = await indexedCandidates(db, query, through);
  return sql`(select * from ${indexed} i
      union all
      select d.id, d.article_id, d.title from search_documents d
      where d.id > ${through} and d.scope in (${scopes}) and ${bodyHoldsAll(query.words)}
        and ${visible}
      order by 1 desc limit ${MAX_RANKED_DOCUMENTS})`;
}

/** SQLite: the candidates the FTS5 indexes find among documents up to `through`. */
async function indexedCandidates(
  db: Db,
  query: SearchQuery,
  through: number,
): Promise<RawBuilder<unknown>> {
  const scopes = sql.join(query.scopes);
  const visible = visibleIn(query.channelId);
  const long = query.words.filter((word) => charLength(word) >= 3);
  const short = query.words.filter((word) => charLength(word) < 3);
  const trigrams = {
    table: sql.id("search_trigrams"),
    match: long.map((word) => `"${word.replace(/"/g, '""')}"`).join(" AND "),
    rest: short,
  };
  const grams = {
    table: sql.id("search_grams"),
    match: short.map(shortGramToken).join(" AND "),
    rest: long,
  };
  let driver = long.length > 0 ? trigrams : grams;
  if (long.length > 0 && short.length > 0) {
    const [byTrigrams, byGrams] = await Promise.all([
      boundedMatchCount(db, trigrams),
      boundedMatchCount(db, grams),
    ]);
    if (Math.min(byTrigrams, byGrams) > INTERSECT_ABOVE) {
      // Both indexes match many rows: intersecting their row ids costs less than checking
      // the text of every row one of them matched.
      const ids = (await intersectMatches(db, [trigrams, grams])).filter((id) => id <= through);
      return sql`(select d.id, d.article_id, d.title from search_documents d
        where d.id in (select value from json_each(${JSON.stringify(ids)}))
          and d.scope in (${scopes}) and ${visible}
        order by d.id desc limit ${MAX_RANKED_DOCUMENTS})`;
    }
    if (byGrams < byTrigrams) driver = grams;
  }
  const others = driver.rest.length > 0 ? sql`and ${bodyHoldsAll(driver.rest)}` : sql``;
  return sql`(select d.id, d.article_id, d.title from ${driver.table} f
      join search_documents d on d.id = f.rowid
      where ${driver.table} match ${driver.match} and f.rowid <= ${through}
        and d.scope in (${scopes}) ${others} and ${visible}
      order by f.rowid desc limit ${MAX_RANKED_DOCUMENTS})`;
}

/** Above this many rows matched by each index, their matches are intersected by row id. */
const INTERSECT_ABOVE = 2_000;

/** Row ids kept from an intersection, newest first (several per ranked document, for access). */
const MAX_INTERSECTED = 10 * MAX_RANKED_DOCUMENTS;

/** The row ids both FTS5 queries match, newest first, at most MAX_INTERSECTED. */
async function intersectMatches(
  db: Db,
  indexes: { table: RawBuilder<unknown>; match: string }[],
): Promise<number[]> {
  const lists = await Promise.all(
    indexes.map(async (index) => {
      const { rows } = await sql<{ id: number }>`select rowid as id from ${index.table}
          where ${index.table} match ${index.match}`.execute(db);
      return rows.map((row) => row.id);
    }),
  );
  const [first = [], ...others] = lists.sort((a, b) => a.length - b.length);
  const sets = others.map((list) => new Set(list));
  const both = first.filter((id) => sets.every((set) => set.has(id)));
  return both.sort((a, b) => b - a).slice(0, MAX_INTERSECTED);
}

/** Rows an FTS5 query matches, counted up to a bound (enough to tell the fewer). */
async function boundedMatchCount(
  db: Db,
  index: { table: RawBuilder<unknown>; match: string },
): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from (select rowid
      from ${index.table} where ${index.table} match ${index.match} limit 50000)`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The article of document `d` reached the channel or is carried by one of its subscriptions. */
function visibleIn(channelId: string): RawBuilder<boolean> {
  return sql<boolean>`(exists (select 1 from feed_articles fa join subscriptions s on s.feed_id = fa.feed_id
      where fa.article_id = d.article_id and s.channel_id = ${channelId})
    or exists (select 1 from article_channels ac
      where ac.article_id = d.article_id and ac.channel_id = ${channelId}))`;
}

/**
 * The channels (other than this one) whose comments on articles this channel sees match the
 * words: the caller asks the access model which of them the user may read. Comment documents
 * are few, so their text is checked row by row.
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
    .where("d.scope", ">", ARTICLE_SCOPE)
    .where("d.scope", "<>", query.channelId)
    .where(bodyHoldsAll(query.words))
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
  const { rows } = await sql<{ id: number; score: number; at: string }>`
    select d.article_id as id, max(${titleHits}) as score,
      coalesce(a.published_at, a.first_seen_at) as at
    from ${await candidates(db, query)} d
    join articles a on a.id = d.article_id
    group by d.article_id, a.published_at, a.first_seen_at
    order by score desc, at desc, id desc
    limit ${query.limit} offset ${query.offset}`.execute(db);
  return rows.map((row) => Number(row.id));
}

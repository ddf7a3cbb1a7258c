import { type Kysely, sql } from "kysely";
import { searchDocuments, shortGramTokens } from "../../src/search/types.js";
import { autoIncrementId, type SqlDialect } from "./dialect.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/** Articles indexed per batch while building the index of an existing database. */
const BACKFILL_BATCH = 500;

/**
 * Search (`/opsfeed search`):
 * - `search_documents`: what each article is searched as, in normalized text (NFKC,
 *   lower-case: `normalizeSearchText`): one row for the article's own title and summary (scope
 *   `''`), and one per channel its comments were made in (the same text plus those comments),
 *   so a private channel's comments are found only by those who may read it. Deleting an
 *   article deletes its rows (foreign key).
 * - SQLite: `search_trigrams`, an FTS5 index with the trigram tokenizer over the rows' text
 *   (external content, kept in step by triggers; rows are replaced, never updated), for words of three or more characters; and
 *   `search_grams`, a contentless FTS5 index of every one- and two-character gram of the text
 *   (written by the store with the row, deleted by trigger), for shorter words, which the
 *   trigram tokenizer cannot match.
 * - Postgres: `pg_trgm` with a GIN `gin_trgm_ops` index on the text, which `LIKE '%word%'`
 *   uses for words of three or more characters (shorter ones are checked row by row).
 * The index of an existing database is built here, from its articles and comments.
 */
export async function up(db: AnyDb, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("search_documents")
    .$call(autoIncrementId(dialect))
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addUniqueConstraint("search_documents_article_scope", ["article_id", "scope"])
    .execute();
  // Comment documents (scope > '') are found by scope: they are few next to the articles'.
  await db.schema
    .createIndex("search_documents_scope")
    .on("search_documents")
    .column("scope")
    .execute();

  // Dialect difference: full-text indexes are SQLite's FTS5 or Postgres's pg_trgm.
  if (dialect === "sqlite") {
    const statements = [
      sql`create virtual table search_trigrams using fts5(
            body, content='search_documents', content_rowid='id', tokenize='trigram')`,
      sql`create virtual table search_grams using fts5(
            grams, content='', contentless_delete=1, tokenize='ascii')`,
      sql`create trigger search_documents_ai after insert on search_documents begin
            insert into search_trigrams(rowid, body) values (new.id, new.body);
          end`,
      sql`create trigger search_documents_ad after delete on search_documents begin
            insert into search_trigrams(search_trigrams, rowid, body) values ('delete', old.id, old.body);
            delete from search_grams where rowid = old.id;
          end`,
    ];
    for (const statement of statements) await statement.execute(db);
  } else {
    const schema = await trigramSchema(db);
    await sql`create index search_documents_body_trgm on search_documents
              using gin (body ${sql.id(schema)}.gin_trgm_ops)`.execute(db);
  }

  await backfill(db, dialect);
}

/**
 * The schema pg_trgm lives in, creating it where missing: in `public` when there is one, so
 * that several opsfeed databases kept as schemas of one Postgres database share it and
 * dropping one of them cannot take the others' indexes with it.
 */
async function trigramSchema(db: AnyDb): Promise<string> {
  const installed = async () => {
    const { rows } = await sql<{ schema: string }>`
      select n.nspname as schema from pg_extension e
      join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
    return rows[0]?.schema ?? null;
  };
  const existing = await installed();
  if (existing) return existing;
  const { rows } = await sql<{ present: boolean }>`
    select exists (select 1 from pg_namespace where nspname = 'public') as present`.execute(db);
  // Migrations run one process at a time (kysely's migration lock), so no one races this.
  if (rows[0]?.present) await sql`create extension if not exists pg_trgm schema public`.execute(db);
  else await sql`create extension if not exists pg_trgm`.execute(db);
  const created = await installed();
  if (!created) throw new Error("pg_trgm could not be installed");
  return created;
}

/** Indexes every article already stored, with its comments. */
async function backfill(db: AnyDb, dialect: SqlDialect): Promise<void> {
  let after = 0;
  for (;;) {
    const articles: { id: number; title: string; summary: string | null }[] = await db
      .selectFrom("articles")
      .select(["id", "title", "summary"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(BACKFILL_BATCH)
      .execute();
    const last = articles.at(-1);
    if (!last) return;
    after = last.id;
    const comments: { article_id: number; channel_id: string | null; text: string }[] = await db
      .selectFrom("comments")
      .select(["article_id", "channel_id", "text"])
      .where(
        "article_id",
        "in",
        articles.map((article) => article.id),
      )
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    for (const article of articles) {
      const own = comments
        .filter((comment) => comment.article_id === article.id)
        .map((comment) => ({ channelId: comment.channel_id, text: comment.text }));
      for (const document of searchDocuments(article, own)) {
        const row = await db
          .insertInto("search_documents")
          .values({ article_id: article.id, ...document })
          .returning("id")
          .executeTakeFirstOrThrow();
        if (dialect === "sqlite") {
          await sql`insert into search_grams(rowid, grams) values (${row.id}, ${shortGramTokens(document.body)})`.execute(
            db,
          );
        }
      }
    }
  }
}

/** Drops the search index. */
export async function down(db: AnyDb, dialect: SqlDialect): Promise<void> {
  if (dialect === "sqlite") {
    for (const name of ["search_documents_ai", "search_documents_ad"]) {
      await sql`drop trigger if exists ${sql.id(name)}`.execute(db);
    }
    await sql`drop table if exists search_grams`.execute(db);
    await sql`drop table if exists search_trigrams`.execute(db);
  }
  await db.schema.dropTable("search_documents").execute();
}

import { type Kysely, sql } from "kysely";
import { shortGramTokens } from "../../src/search/types.js";
import type { SqlDialect } from "./dialect.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/**
 * SQLite only (Postgres keeps its pg_trgm GIN index, which is written with the row): the two
 * FTS5 indexes of `search_documents` are no longer written in the transaction that writes the
 * document. Writing them was four fifths of the cost of storing a new article, so a poll
 * stores articles and the search indexer (src/store/search.ts `indexSearchBacklog`) indexes
 * them soon after, in larger batches of its own. `search_index_progress.indexed_through` is
 * the highest document id both indexes hold; ids only grow (AUTOINCREMENT), so every document
 * above it is the backlog, which searches read row by row until it is indexed. A document is
 * removed from the indexes on delete only if they hold it.
 */
export async function up(db: AnyDb, dialect: SqlDialect): Promise<void> {
  if (dialect !== "sqlite") return;
  await db.schema
    .createTable("search_index_progress")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("indexed_through", "integer", (c) => c.notNull())
    .execute();
  // Everything written so far went through the old triggers: it is all indexed.
  await sql`insert into search_index_progress(id, indexed_through)
            select 1, coalesce(max(id), 0) from search_documents`.execute(db);
  await sql`drop trigger search_documents_ai`.execute(db);
  await sql`drop trigger search_documents_ad`.execute(db);
  await sql`create trigger search_documents_ad after delete on search_documents
            when old.id <= (select indexed_through from search_index_progress) begin
              insert into search_trigrams(search_trigrams, rowid, body) values ('delete', old.id, old.body);
              delete from search_grams where rowid = old.id;
            end`.execute(db);
}

/** Indexes the backlog and puts the old triggers back. */
export async function down(db: AnyDb, dialect: SqlDialect): Promise<void> {
  if (dialect !== "sqlite") return;
  const { rows } = await sql<{ id: number; body: string }>`select id, body from search_documents
            where id > (select indexed_through from search_index_progress)`.execute(db);
  for (const row of rows) {
    await sql`insert into search_trigrams(rowid, body) values (${row.id}, ${row.body})`.execute(db);
    await sql`insert into search_grams(rowid, grams) values (${row.id}, ${shortGramTokens(row.body)})`.execute(
      db,
    );
  }
  await sql`drop trigger search_documents_ad`.execute(db);
  await sql`create trigger search_documents_ai after insert on search_documents begin
              insert into search_trigrams(rowid, body) values (new.id, new.body);
            end`.execute(db);
  await sql`create trigger search_documents_ad after delete on search_documents begin
              insert into search_trigrams(search_trigrams, rowid, body) values ('delete', old.id, old.body);
              delete from search_grams where rowid = old.id;
            end`.execute(db);
  await db.schema.dropTable("search_index_progress").execute();
}

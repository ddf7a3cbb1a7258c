import type SQLite from "better-sqlite3";
import { type SearchDocument, shortGramTokens } from "../src/search/types.js";

/**
 * Writes search documents straight into a bench SQLite file, as the store and the search
 * indexer would: the row, its FTS5 entries, and (from migration 0011 on) the indexer's
 * progress, so the bench's searches read indexes, not a backlog.
 */
export function searchDocumentWriter(sqlite: SQLite.Database) {
  const deferred =
    sqlite.prepare("select 1 from sqlite_master where name = 'search_index_progress'").get() !==
    undefined;
  const document = sqlite.prepare(
    "insert into search_documents (id, article_id, scope, title, body) values (?, ?, ?, ?, ?)",
  );
  const grams = sqlite.prepare("insert into search_grams (rowid, grams) values (?, ?)");
  // Before 0011 a trigger writes the trigram index; from 0011 on the indexer does.
  const trigrams = deferred
    ? sqlite.prepare("insert into search_trigrams (rowid, body) values (?, ?)")
    : null;
  return {
    /** one document, with id `id`, of article `articleId` */
    write(id: number, articleId: number, doc: SearchDocument): void {
      document.run(id, articleId, doc.scope, doc.title, doc.body);
      trigrams?.run(id, doc.body);
      grams.run(id, shortGramTokens(doc.body));
    },
    /** marks everything written as indexed (call once, after the last document) */
    finish(): void {
      if (!deferred) return;
      sqlite
        .prepare(
          "update search_index_progress set indexed_through = (select coalesce(max(id), 0) from search_documents)",
        )
        .run();
    },
  };
}

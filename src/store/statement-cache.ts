import type SQLite from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/** How many distinct statements one connection keeps prepared. */
const CACHED_STATEMENTS = 500;

/**
 * The SQLite database as kysely sees it, with prepared statements kept by their SQL text.
 * kysely prepares every query anew; preparing was a sixth of a poll pass, while opsfeed runs
 * the same few hundred statements over and over. Least recently used ones are dropped first.
 */
export function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      // A statement still being iterated (a streamed select) cannot run twice at once.
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached as unknown as SqliteStatement;
      }
      const statement = sqlite.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > CACHED_STATEMENTS) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement as unknown as SqliteStatement;
    },
  };
}

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, type MigrationResultSet, Migrator, SqliteDialect, sql } from "kysely";
import { migrations } from "../../db/migrations/index.js";
import type { Database } from "../../db/schema.js";

/** The typed database handle every store function takes first. */
export type Db = Kysely<Database>;

/** Opens the SQLite database at `databaseUrl` (a file path or `:memory:`), creating its folder. */
export function openDatabase(databaseUrl: string): Db {
  if (databaseUrl !== ":memory:") {
    mkdirSync(dirname(databaseUrl), { recursive: true });
  }
  const sqlite = new SQLite(databaseUrl);
  // WAL lets readers (healthz, lists) proceed while a poll writes; the busy timeout makes a
  // second process (the CLI next to the app) wait for a lock instead of failing at once.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Runs every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`migration ${failed} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return result;
}

/** True when the database answers a trivial query. */
export async function isDatabaseHealthy(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `work` in one transaction; inside one already (a repository called from another
 * transaction's work), it joins that transaction instead of opening a nested one.
 */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

/** Writes a consistent copy of the SQLite database at `databaseUrl` to `target`, while it is in use. */
export async function backupDatabase(databaseUrl: string, target: string): Promise<void> {
  const source = new SQLite(databaseUrl, { fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }
}

import type { CreateTableBuilder, Kysely, Migration } from "kysely";

/*
 * The one place migrations learn which database they run on. kysely has no public way to ask
 * a Kysely<any> for its dialect, so migrateToLatest passes it in through the migration
 * provider; a migration that does not care simply ignores the second argument.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/** The SQL dialects opsfeed's schema runs on. */
export type SqlDialect = "sqlite" | "postgres";

/** A migration that is told the dialect it runs on. */
export interface DialectMigration {
  up(db: AnyDb, dialect: SqlDialect): Promise<void>;
  down?(db: AnyDb, dialect: SqlDialect): Promise<void>;
}

/** The migrations bound to one dialect, in the shape kysely's Migrator runs. */
export function forDialect(
  migrations: Record<string, DialectMigration>,
  dialect: SqlDialect,
): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(migrations).map(([name, migration]) => {
      const { up, down } = migration;
      const bound: Migration = { up: (db) => up(db, dialect) };
      if (down) bound.down = (db) => down(db, dialect);
      return [name, bound];
    }),
  );
}

/**
 * Adds the integer primary key `id` that the database numbers itself (1, 2, 3…): on SQLite
 * exactly the column every SQLite database already has, on Postgres a 32-bit identity column
 * (which pg reads as a number, unlike serial8 or bigint).
 */
export function autoIncrementId(dialect: SqlDialect) {
  return <TB extends string, C extends string>(
    table: CreateTableBuilder<TB, C>,
  ): CreateTableBuilder<TB, C | "id"> =>
    // Dialect difference: AUTOINCREMENT is SQLite's syntax; Postgres numbers rows by identity.
    dialect === "postgres"
      ? table.addColumn("id", "integer", (c) => c.primaryKey().generatedByDefaultAsIdentity())
      : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}

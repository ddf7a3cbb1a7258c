import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/*
 * Where the tests keep their databases. The suite runs on SQLite (a temp file per database);
 * scripts/test-postgres.mjs runs it again with OPSFEED_TEST_DATABASE_URL naming a fresh
 * Postgres database, in which every test database is a schema of its own.
 */

/** The run's Postgres database, when this run is the Postgres one. */
export const TEST_POSTGRES_URL = process.env.OPSFEED_TEST_DATABASE_URL?.trim() || null;

/** True when the suite runs on Postgres. */
export const onPostgres = TEST_POSTGRES_URL !== null;

/** A database of a test's own: what to set DATABASE_URL to, and how to remove it. */
export interface TestDatabase {
  url: string;
  /** false until something (the app, a migration) has created a table in it */
  isCreated(): Promise<boolean>;
  drop(): Promise<void>;
}

let schemas = 0;

/** Runs one statement on the run's Postgres database, outside any test's schema. */
async function onRunDatabase<T extends pg.QueryResultRow>(
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL as string });
  await client.connect();
  try {
    return await client.query<T>(text, values);
  } finally {
    await client.end();
  }
}

/** `url` with its search_path set to `schema`, so every unqualified table lives there. */
function inSchema(url: string, schema: string): string {
  const withSchema = new URL(url);
  withSchema.searchParams.set("options", `-c search_path=${schema}`);
  return withSchema.toString();
}

/**
 * A new, empty database: a SQLite file in a temp folder (not created yet, as for a first
 * start), or on Postgres a new schema of the run's database.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_POSTGRES_URL === null) {
    const dir = mkdtempSync(join(tmpdir(), "opsfeed-test-"));
    const path = join(dir, "opsfeed.sqlite");
    return {
      url: path,
      isCreated: async () => existsSync(path),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  schemas += 1;
  const schema = `t_${process.pid}_${schemas}`;
  await onRunDatabase(`create schema ${schema}`);
  return {
    url: inSchema(TEST_POSTGRES_URL, schema),
    async isCreated() {
      const tables = await onRunDatabase<{ n: number }>(
        "select count(*)::int as n from information_schema.tables where table_schema = $1",
        [schema],
      );
      return (tables.rows[0]?.n ?? 0) > 0;
    },
    drop: async () => {
      await onRunDatabase(`drop schema if exists ${schema} cascade`);
    },
  };
}

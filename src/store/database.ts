import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  type MigrationResultSet,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from "kysely";
import pg from "pg";
import { forDialect, type SqlDialect } from "../../db/migrations/dialect.js";
import { migrations } from "../../db/migrations/index.js";
import type { Database } from "../../db/schema.js";
import { withStatementCache } from "./statement-cache.js";

/** The typed database handle every store function takes first. */
export type Db = Kysely<Database>;

// The dialect of each database openDatabase opened: kysely cannot be asked for it.
const dialects = new WeakMap<Db, SqlDialect>();

// The SQLite handle and file behind each SQLite database openDatabase opened, for the probe.
const sqliteFiles = new WeakMap<Db, { sqlite: SQLite.Database; path: string }>();

/**
 * The dialect `db` (or a transaction of it) speaks. Dialect difference: kysely has no public way
 * to ask, so this looks at the query executor's adapter (kysely is pinned).
 */
export function dialectOf(db: Db): SqlDialect {
  const known = dialects.get(db);
  if (known) return known;
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** True when `databaseUrl` names a Postgres database (postgres:// or postgresql://). */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/**
 * Opens the database at `databaseUrl`: a Postgres database for a postgres:// or postgresql://
 * URL, else the SQLite file at that path (its folder created) or `:memory:`.
 */
export function openDatabase(databaseUrl: string): Db {
  const postgres = isPostgresUrl(databaseUrl);
  const db = postgres ? openPostgres(databaseUrl) : openSqlite(databaseUrl);
  dialects.set(db, postgres ? "postgres" : "sqlite");
  return db;
}

function openSqlite(path: string): Db {
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true });
  }
  const sqlite = new SQLite(path);
  // WAL lets readers (healthz, lists) proceed while a poll writes; the busy timeout makes a
  // second process (the CLI next to the app) wait for a lock instead of failing at once.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  // A WAL that a burst of writes grew is cut back to 64 MiB once it starts over.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  // Dialect difference (SQLite only; Postgres has shared_buffers): reads go through a memory
  // map of the file instead of a copy per page into SQLite's own cache, so a digest round over
  // a large history stays in memory (the kernel's page cache, shared and given back under
  // pressure). SQLite's own cache holds what the map cannot (pages in the WAL, writes): 16 MiB.
  // 64 MiB made `digest-scale` 0.05-0.1 s faster (0.69-0.74 s against 0.79-0.83, its goal 1 s)
  // for up to 50 MB more of the process's memory after a poll and digest round.
  sqlite.pragma(`mmap_size = ${256 * 1024 * 1024}`);
  sqlite.pragma(`cache_size = -${16 * 1024}`);
  const db = new Kysely<Database>({
    dialect: new WriteLockingSqliteDialect({ database: withStatementCache(sqlite) }),
  });
  sqliteFiles.set(db, { sqlite, path });
  return db;
}

/**
 * Dialect difference: SQLite transactions begin IMMEDIATE, taking the write lock at once. A
 * plain BEGIN reads first and fails with SQLITE_BUSY (without waiting for busy_timeout) when
 * another process wrote meanwhile, which two processes on one file do all the time.
 */
class WriteLockingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  // better-sqlite3 is synchronous and kysely hands its one connection to the next waiter in a
  // microtask, so statements and transactions queued behind each other (the 16 feeds of a poll,
  // their leases) would run back to back without the event loop ever turning: measured gaps of
  // 0.5-0.7 s with no ack or /healthz answered. Each holder of the connection starts in a task
  // of its own instead (inside a transaction, statements use its connection directly).
  //
  // Waiters queue here, first come first served, and the connection is handed to one at a
  // time: kysely's own mutex wakes every waiter on each release and all but one wait again,
  // which with ten commands in flight was 8% of a `later` command's time.
  readonly #waiting: Array<() => void> = [];
  #held = false;

  override async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#held) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#held = true;
    // Never contended now: only the holder gets past the queue.
    const connection = await super.acquireConnection();
    await new Promise((resolve) => setImmediate(resolve));
    return connection;
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({
    connectionString: url,
    // An unreachable server fails healthz and start-up within seconds instead of hanging.
    connectionTimeoutMillis: 5000,
    types: {
      // Dialect difference: pg reads 64-bit integers (count(*)) as strings; ours stay below 2^53.
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === pg.types.builtins.INT8 && format !== "binary"
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client whose connection drops (a server restart) is reported here; unheard, the
  // event would crash the process, and the pool opens a new connection for the next query.
  pool.on("error", () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** The migrator of a database opened by `openDatabase`, with its dialect's migrations. */
async function migratorOf(db: Db): Promise<Migrator> {
  const dialect = dialects.get(db);
  if (!dialect) throw new Error("migrations need a database opened by openDatabase");
  return new Migrator({
    db,
    provider: { getMigrations: async () => forDialect(migrations, dialect) },
    // Dialect difference: unpinned, kysely on Postgres takes any schema's migration tables.
    ...(dialect === "postgres" ? { migrationTableSchema: await currentSchema(db) } : {}),
  });
}

/** How many migrations the database has not had yet. */
export async function countPendingMigrations(db: Db): Promise<number> {
  const known = await (await migratorOf(db)).getMigrations();
  return known.filter((migration) => migration.executedAt === undefined).length;
}

/** Runs every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  const migrator = await migratorOf(db);
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`migration ${failed} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return result;
}

/** The schema that unqualified table names resolve to on Postgres (the search_path's first). */
async function currentSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
    db,
  );
  const schema = rows[0]?.schema;
  if (!schema) throw new Error("no schema of DATABASE_URL's search_path exists: create it first");
  return schema;
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

/** The better-sqlite3 connection and file path under `db`, when it is a SQLite database. */
export function sqliteFileOf(db: Db): { sqlite: SQLite.Database; path: string } | null {
  return sqliteFiles.get(db) ?? null;
}

/** Whether the database answers, asked on a connection of the probe's own where that matters. */
export interface HealthProbe {
  isHealthy(): Promise<boolean>;
  close(): void;
}

/**
 * A health probe of `db` (opened by openDatabase, and migrated: the file must exist). On a
 * SQLite file it reads through a read-only connection of its own, because kysely's one
 * connection waits behind whatever transaction holds it (a 40,000-item feed being stored) and a
 * second connection reads WAL's last snapshot at once. `db` closed counts as unhealthy. On
 * Postgres, whose pool has other connections, and in-memory SQLite, which no second connection
 * can see, it asks `db` itself.
 */
export function openHealthProbe(db: Db): HealthProbe {
  const file = sqliteFiles.get(db);
  if (!file || file.path === ":memory:") {
    return { isHealthy: () => isDatabaseHealthy(db), close: () => {} };
  }
  const reader = new SQLite(file.path, { readonly: true, fileMustExist: true, timeout: 1000 });
  // It reads one page: a cache of a few pages, not the 16 MB a connection starts with.
  reader.pragma("cache_size = 8");
  // Reads a page of the file, so a file gone bad fails here rather than looking healthy.
  const probe = reader.prepare("select count(*) as n from sqlite_master");
  return {
    async isHealthy() {
      if (!file.sqlite.open || !reader.open) return false;
      try {
        probe.get();
        return true;
      } catch {
        return false;
      }
    },
    close() {
      if (reader.open) reader.close();
    },
  };
}

/**
 * Runs `work` in one transaction; inside one already (a repository called from another
 * transaction's work), it joins that transaction instead of opening a nested one.
 */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}

/**
 * Writes a consistent copy of the SQLite database at `databaseUrl` to `target`, while it is in
 * use. SQLite only: a Postgres database is backed up with pg_dump.
 */
export async function backupDatabase(databaseUrl: string, target: string): Promise<void> {
  if (isPostgresUrl(databaseUrl)) {
    throw new Error(
      "backup copies SQLite databases only: DATABASE_URL is a Postgres database, back it up with pg_dump",
    );
  }
  const source = new SQLite(databaseUrl, { fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }
}

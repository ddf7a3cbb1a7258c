import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { SettingError } from "./errors.js";
import {
  countPendingMigrations,
  type Db,
  isPostgresUrl,
  migrateToLatest,
  openDatabase,
} from "./store/database.js";

/*
 * The database at DATABASE_URL as an operator meets it: opened, migrated, checked, restored,
 * with every failure one line naming DATABASE_URL instead of a stack trace.
 */

/** SQLite's own reasons, in words an operator can act on; null for anything else. */
function sqliteReason(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return null;
  if (code === "SQLITE_NOTADB") return "it is not a SQLite database";
  if (code === "SQLITE_CORRUPT") return "the database file is corrupt";
  if (code.startsWith("SQLITE_READONLY")) return "the file or its folder is read-only";
  if (code === "SQLITE_CANTOPEN") return "the file cannot be opened (a folder, or no permission)";
  if (code === "SQLITE_PERM" || code === "EACCES") return "permission denied";
  if (code === "ENOTDIR" || code === "EEXIST") return "a part of the path is not a folder";
  if (code.startsWith("SQLITE_IOERR")) return `an I/O error (${code})`;
  return null;
}

/**
 * Opens the database at `databaseUrl`. With `mustExist`, a missing file is an error instead
 * of a new empty database (the read-only verbs must not hide a mistyped path).
 */
export function openDatabaseAt(databaseUrl: string, options: { mustExist?: boolean } = {}): Db {
  const file = databaseUrl !== ":memory:" && !isPostgresUrl(databaseUrl);
  if (options.mustExist && file && !existsSync(databaseUrl)) {
    throw new SettingError(
      "DATABASE_URL",
      `no database at ${databaseUrl} (opsfeed migrate or npm start creates one)`,
    );
  }
  try {
    return openDatabase(databaseUrl);
  } catch (error) {
    const reason = sqliteReason(error) ?? (error as Error).message;
    throw new SettingError("DATABASE_URL", `cannot open ${databaseUrl}: ${reason}`, {
      cause: error,
    });
  }
}

/** Migrates the database; a file SQLite cannot write or read is an error naming DATABASE_URL. */
export async function migrateDatabaseAt(db: Db, databaseUrl: string) {
  try {
    return await migrateToLatest(db);
  } catch (error) {
    const reason = sqliteReason((error as Error).cause ?? error);
    if (reason === null) throw error;
    throw new SettingError("DATABASE_URL", `cannot use ${databaseUrl}: ${reason}`, {
      cause: error,
    });
  }
}

/** Refuses a database that misses migrations, for verbs that must not change it. */
export async function requireMigrated(db: Db, databaseUrl: string): Promise<void> {
  let pending: number;
  try {
    pending = await countPendingMigrations(db);
  } catch (error) {
    const reason = sqliteReason(error) ?? (error as Error).message;
    throw new SettingError("DATABASE_URL", `cannot read ${databaseUrl}: ${reason}`);
  }
  if (pending > 0) {
    throw new SettingError(
      "DATABASE_URL",
      `the database at ${databaseUrl} misses ${pending} migration(s): run opsfeed migrate (npm start does it too)`,
    );
  }
}

/** Why `file` is not a sound opsfeed database, or null when SQLite's integrity check passes. */
export function databaseFileProblem(file: string): string | null {
  if (!existsSync(file)) return `${file} does not exist`;
  let source: SQLite.Database | null = null;
  try {
    source = new SQLite(file, { readonly: true, fileMustExist: true });
    const result = source.pragma("integrity_check", { simple: true });
    if (result !== "ok") return `${file} fails SQLite's integrity check (${String(result)})`;
    const tables = source
      .prepare("select name from sqlite_master where type = 'table' and name = 'feeds'")
      .all();
    if (tables.length === 0) return `${file} is a SQLite database but not opsfeed's`;
    return null;
  } catch (error) {
    return `${file}: ${sqliteReason(error) ?? (error as Error).message}`;
  } finally {
    source?.close();
  }
}

/** Why the database at `target` cannot be replaced now, or null. */
function replaceProblem(target: string): string | null {
  if (!existsSync(target)) return null;
  let db: SQLite.Database | null = null;
  try {
    db = new SQLite(target, { fileMustExist: true, timeout: 0 });
    // Leaving WAL mode needs every other connection closed: a running opsfeed (or CLI) has
    // the file open, even when idle. Success also folds the -wal file into the database.
    db.pragma("journal_mode = DELETE");
    return null;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") {
      return `the database at ${target} is in use: stop opsfeed (and any opsfeed command) first`;
    }
    return `cannot replace ${target}: ${sqliteReason(error) ?? (error as Error).message}`;
  } finally {
    db?.close();
  }
}

/**
 * Replaces the SQLite database at `target` with the backup `source`: the backup must pass the
 * integrity check, and nothing may have the target open. Throws SettingError with the reason.
 */
export function restoreDatabase(source: string, target: string): void {
  const problem = databaseFileProblem(source);
  if (problem) throw new Error(problem);
  const busy = replaceProblem(target);
  if (busy) throw new SettingError("DATABASE_URL", busy);
  for (const leftover of [`${target}-wal`, `${target}-shm`]) rmSync(leftover, { force: true });
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
}

import { existsSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { migrateDatabaseAt, openDatabaseAt, restoreDatabase } from "../database-files.js";
import { SettingError } from "../errors.js";
import { backupDatabase, isPostgresUrl } from "../store/database.js";
import { type CliIo, operatorSettings, type Verb } from "./verb.js";

/** `opsfeed migrate`. */
export const migrate: Verb = {
  synopsis: "opsfeed migrate",
  usage: "opsfeed migrate",
  summary: "create or upgrade the database (DATABASE_URL)",
  details: ["npm start migrates too; run this before the CLI's other verbs on a new database."],
  async run(_args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const db = openDatabaseAt(settings.databaseUrl);
    try {
      const applied = (await migrateDatabaseAt(db, settings.databaseUrl)).results ?? [];
      if (applied.length === 0) io.out("database is up to date");
      for (const step of applied) io.out(`applied ${step.migrationName}`);
      return 0;
    } finally {
      await db.destroy();
    }
  },
};

/** The one file argument of `verb`, or null after printing its usage. */
function fileArgument(verb: Verb, name: string, args: string[], io: CliIo) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { force: { type: "boolean", default: false } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    io.err(`${name}: expected one file\nusage: ${verb.usage}`);
    return null;
  }
  return { file, force: values.force === true };
}

/** `opsfeed backup <file> [--force]`. */
export const backup: Verb = {
  synopsis: "opsfeed backup <file>",
  usage: "opsfeed backup <file> [--force]",
  summary: "copy the database, also while opsfeed runs",
  details: ["An existing <file> is kept unless --force is given. SQLite databases only."],
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const parsed = fileArgument(backup, "backup", args, io);
    if (!parsed) return 2;
    // A Postgres database is refused by backupDatabase, pointing to pg_dump.
    if (!isPostgresUrl(settings.databaseUrl) && !existsSync(settings.databaseUrl)) {
      throw new SettingError("DATABASE_URL", `no database at ${settings.databaseUrl}`);
    }
    if (existsSync(parsed.file)) {
      if (!parsed.force) {
        io.err(`backup: ${parsed.file} already exists; add --force to overwrite it`);
        return 1;
      }
      rmSync(parsed.file);
    }
    await backupDatabase(settings.databaseUrl, parsed.file);
    io.out(`backed up ${settings.databaseUrl} to ${parsed.file}`);
    return 0;
  },
};

/** `opsfeed restore <file> [--force]`. */
export const restore: Verb = {
  synopsis: "opsfeed restore <file>",
  usage: "opsfeed restore <file> [--force]",
  summary: "replace the database with a backup",
  details: [
    "The backup must pass SQLite's integrity check. An existing database is only",
    "replaced with --force, and never while opsfeed (or another opsfeed command)",
    "has it open. Migrations still missing from the backup run at the next start.",
  ],
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const parsed = fileArgument(restore, "restore", args, io);
    if (!parsed) return 2;
    if (settings.databaseUrl === ":memory:") {
      throw new SettingError("DATABASE_URL", "is :memory:, there is no file to restore into");
    }
    if (isPostgresUrl(settings.databaseUrl)) {
      throw new SettingError(
        "DATABASE_URL",
        "is a Postgres database: restore it with psql or pg_restore (opsfeed restore replaces SQLite files)",
      );
    }
    if (existsSync(settings.databaseUrl) && !parsed.force) {
      io.err(
        `restore: a database exists at ${settings.databaseUrl}; add --force to replace it (opsfeed backup <file> keeps a copy)`,
      );
      return 1;
    }
    restoreDatabase(parsed.file, settings.databaseUrl);
    io.out(`restored ${settings.databaseUrl} from ${parsed.file} (integrity check passed)`);
    return 0;
  },
};

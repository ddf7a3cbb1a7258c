import { parseArgs } from "node:util";
import { backupDatabase, migrateToLatest, openDatabase } from "../store/database.js";
import { operatorSettings, type Verb } from "./verb.js";

/** `opsfeed migrate`. */
export const migrate: Verb = {
  usage: "opsfeed migrate",
  summary: "create or upgrade the database at DATABASE_URL",
  async run(_args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const db = openDatabase(settings.databaseUrl);
    try {
      const applied = (await migrateToLatest(db)).results ?? [];
      if (applied.length === 0) io.out("database is up to date");
      for (const step of applied) io.out(`applied ${step.migrationName}`);
      return 0;
    } finally {
      await db.destroy();
    }
  },
};

/** `opsfeed backup <file>`. */
export const backup: Verb = {
  usage: "opsfeed backup <file>",
  summary: "write a consistent copy of the database to <file> while opsfeed runs",
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const { positionals } = parseArgs({ args, allowPositionals: true });
    const target = positionals[0];
    if (!target) {
      io.err("backup: expected a target file, e.g. opsfeed backup ./opsfeed-backup.sqlite");
      return 2;
    }
    await backupDatabase(settings.databaseUrl, target);
    io.out(`backed up ${settings.databaseUrl} to ${target}`);
    return 0;
  },
};

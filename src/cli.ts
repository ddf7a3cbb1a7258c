import { parseArgs } from "node:util";
import { loadDotEnv } from "./config/environment.js";
import { migrateToLatest, openDatabase } from "./store/database.js";
import { VERSION } from "./version.js";

/** An operator command: what it does, how to call it, and its implementation. */
interface Verb {
  usage: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

function databaseUrl(): string {
  const value = process.env.DATABASE_URL?.trim();
  return value ? value : "./data/opsfeed.sqlite";
}

const verbs: Record<string, Verb> = {
  migrate: {
    usage: "opsfeed migrate",
    summary: "create or upgrade the database at DATABASE_URL",
    async run() {
      const db = openDatabase(databaseUrl());
      try {
        const result = await migrateToLatest(db);
        const applied = result.results ?? [];
        if (applied.length === 0) console.log("database is up to date");
        for (const step of applied) console.log(`applied ${step.migrationName}`);
        return 0;
      } finally {
        await db.destroy();
      }
    },
  },
  backup: {
    usage: "opsfeed backup <file>",
    summary: "write a consistent copy of the database to <file> while opsfeed runs",
    async run(args) {
      const { positionals } = parseArgs({ args, allowPositionals: true });
      const target = positionals[0];
      if (!target) {
        console.error(
          "backup: expected a target file, e.g. opsfeed backup ./opsfeed-backup.sqlite",
        );
        return 2;
      }
      const { default: SQLite } = await import("better-sqlite3");
      const source = new SQLite(databaseUrl(), { fileMustExist: true });
      try {
        await source.backup(target);
        console.log(`backed up ${databaseUrl()} to ${target}`);
        return 0;
      } finally {
        source.close();
      }
    },
  },
};

function usage(): string {
  const lines = [...Object.values(verbs), { usage: "opsfeed --help", summary: "this text" }];
  const width = Math.max(...lines.map((line) => line.usage.length));
  return [
    `opsfeed ${VERSION}: operator commands (settings from the environment and ./.env)`,
    "",
    ...lines.map((line) => `  ${line.usage.padEnd(width)}  ${line.summary}`),
  ].join("\n");
}

/** Runs the operator CLI with `argv` (without node and script) and returns the exit status. */
export async function runCli(argv: string[]): Promise<number> {
  loadDotEnv();
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(usage());
    return 0;
  }
  const verb = verbs[name];
  if (!verb) {
    console.error(`opsfeed: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await verb.run(rest);
  } catch (error) {
    console.error(`opsfeed ${name}: ${(error as Error).message}`);
    return 1;
  }
}

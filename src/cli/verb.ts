import { webApi } from "@slack/bolt";
import { type OperatorSettings, readOperatorSettings } from "../config/settings.js";
import { type Db, migrateToLatest, openDatabase } from "../store/database.js";

/** Where a CLI verb reads its environment and writes its output. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
}

/** An operator command: how to call it, what it does, and its implementation. */
export interface Verb {
  usage: string;
  summary: string;
  /** returns the exit status */
  run(args: string[], io: CliIo): Promise<number>;
}

/** The operator settings, or null after printing one line per problem. */
export function operatorSettings(io: CliIo): OperatorSettings | null {
  const result = readOperatorSettings(io.env);
  if (result.ok) return result.settings;
  for (const problem of result.problems) io.err(problem);
  return null;
}

/** Slack mrkdwn from the message catalog, made readable in a terminal. */
export function plainText(mrkdwn: string): string {
  return mrkdwn
    .replace(/<([^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Runs `work` on the migrated database at DATABASE_URL, closing it afterwards. */
export async function withDatabase<T>(
  settings: OperatorSettings,
  work: (db: Db) => Promise<T>,
): Promise<T> {
  const db = openDatabase(settings.databaseUrl);
  try {
    await migrateToLatest(db);
    return await work(db);
  } finally {
    await db.destroy();
  }
}

/** A Web API client for the bot token, reaching SLACK_API_URL when it is set. */
export function slackClientOf(token: string, settings: OperatorSettings): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...(settings.slackApiUrl ? { slackApiUrl: settings.slackApiUrl } : {}),
  });
}

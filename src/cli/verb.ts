import { unescapeSlackText } from "../commands/slack-text.js";
import { type OperatorSettings, readOperatorSettings } from "../config/settings.js";
import { type Logger, loggerFor } from "../logger.js";

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

/** Logs go to stderr so stdout stays the verb's own output; only warnings unless debugging. */
export function cliLogger(settings: OperatorSettings, io: CliIo): Logger {
  const level = settings.logLevel === "debug" ? "debug" : "warn";
  return loggerFor({ ...settings, logLevel: level }, (_level, line) => io.err(line));
}

/** Slack mrkdwn from the message catalog, made readable in a terminal. */
export function plainText(mrkdwn: string): string {
  return unescapeSlackText(mrkdwn.replace(/<([^|>]+)\|([^>]+)>/g, "$2 ($1)"));
}

import { unescapeSlackText } from "../commands/slack-text.js";
import { type OperatorSettings, readOperatorSettings } from "../config/settings.js";
import { type Logger, loggerFor } from "../logger.js";

/** Where a CLI verb reads its environment and writes its output. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
  /**
   * Replaces the one-line progress indicator (an empty text clears it). Only set when stderr
   * is a terminal: piped or logged output gets the result lines alone.
   */
  progress?(text: string): void;
}

/** An operator command: how to call it, what it does, and its implementation. */
export interface Verb {
  /** the short form in the main help, e.g. `opsfeed backup <file>` */
  synopsis: string;
  /** the full usage, with every option */
  usage: string;
  /** one line, short enough for the main help's 80 columns */
  summary: string;
  /** more lines for `opsfeed <verb> --help` */
  details?: string[];
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

/** Slack mrkdwn from the message catalog, made readable in a terminal: no markup, no entities. */
export function plainText(mrkdwn: string): string {
  const text = mrkdwn
    .replace(/<([^|>]+)\|([^>]+)>/g, "$2 ($1)")
    .replace(/<([^|>]+)>/g, "$1")
    .replace(/(^|[\s(])([*_~])([^*_~\n]+?)\2(?=$|[\s).,:;!?])/g, "$1$3")
    .replace(/`([^`\n]+)`/g, "$1");
  return unescapeSlackText(text);
}

/** Slack channel ids: C… (public), G… (private), D… (direct message), upper-case. */
const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/**
 * The `--channel` value as a Slack channel id, or null after printing why it is not one
 * (a channel name such as `general` is the usual mistake).
 */
export function channelIdOption(value: string | undefined, verb: string, io: CliIo): string | null {
  const channel = value?.trim() ?? "";
  if (CHANNEL_ID.test(channel)) return channel;
  const hint = /^#?[a-z0-9][a-z0-9._-]*$/.test(channel)
    ? ` "${channel}" looks like a channel name;`
    : ` got "${channel}";`;
  io.err(
    `${verb}: --channel expects a Slack channel id like C0123ABCD:${hint} the id is at the bottom of the channel's details in Slack`,
  );
  return null;
}

/** An ISO timestamp in the operator's time zone, with the zone named: `2026-11-25 19:00 Asia/Tokyo`. */
export function formatDateTime(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timeZone}`;
}

import { type MessageKey, type MessageParams, t } from "../i18n/catalog.js";
import type { Locale } from "../i18n/locale.js";
import { MAX_COMMENT_LENGTH, MAX_NOTE_LENGTH } from "../queue/types.js";
import {
  MAX_MIN_BOOKMARKS,
  type ParseError,
  SUBCOMMANDS,
  type Subcommand,
} from "./parse-command.js";

/** One line of help: the syntax (the same in every language) and its described effect. */
interface UsageLine {
  syntax: string;
  description: Extract<MessageKey, `usage.${string}`>;
}

/** The help lines of each subcommand; `digest` and `later` have one per form. */
const USAGE_LINES: Record<Subcommand, readonly UsageLine[]> = {
  help: [{ syntax: "help", description: "usage.help" }],
  subscribe: [
    {
      syntax:
        "subscribe <feed-url> [include:w1,w2] [exclude:w3] [min:N] [realtime] [mention:<@user>|<!subteam^ID>]",
      description: "usage.subscribe",
    },
    {
      syntax: "subscribe hatena:hot:<category> | hatena:search:<words> […]",
      description: "usage.hatena-shortcuts",
    },
  ],
  unsubscribe: [
    { syntax: "unsubscribe <subscription-id or feed-url>", description: "usage.unsubscribe" },
  ],
  list: [{ syntax: "list", description: "usage.list" }],
  digest: [
    { syntax: "digest now", description: "usage.digest-now" },
    { syntax: "digest at HH:MM [daily|weekdays] [time-zone]", description: "usage.digest-at" },
    { syntax: "digest off", description: "usage.digest-off" },
    { syntax: "digest", description: "usage.digest-show" },
  ],
  later: [
    { syntax: "later", description: "usage.later-list" },
    { syntax: "later <article>", description: "usage.later-add" },
  ],
  done: [{ syntax: "done <article>", description: "usage.done" }],
  assign: [{ syntax: "assign <@user> <article> [note] [due:<date>]", description: "usage.assign" }],
  assigned: [{ syntax: "assigned", description: "usage.assigned" }],
  comment: [{ syntax: "comment <article> <text>", description: "usage.comment" }],
  comments: [{ syntax: "comments <article>", description: "usage.comments" }],
  preview: [
    {
      syntax: "preview <feed-url> [include:w1,w2] [exclude:w3] [min:N]",
      description: "usage.preview",
    },
  ],
  why: [{ syntax: "why <article>", description: "usage.why" }],
  hatena: [{ syntax: "hatena <article>", description: "usage.hatena" }],
  report: [
    { syntax: "report", description: "usage.report" },
    { syntax: "report at <weekday> HH:MM [time-zone]", description: "usage.report-at" },
    { syntax: "report off", description: "usage.report-off" },
  ],
  search: [{ syntax: "search <words>", description: "usage.search" }],
};

/** The help for every subcommand, one mrkdwn line each. */
export function usageText(locale: Locale): string {
  const lines = SUBCOMMANDS.flatMap((subcommand) => USAGE_LINES[subcommand]);
  return [
    t(locale, "usage.title"),
    ...lines.map((line) => formatUsageLine(locale, line)),
    t(locale, "usage.notes"),
  ].join("\n");
}

/** The help for one subcommand, under a "Usage:" heading. */
export function subcommandUsage(locale: Locale, subcommand: Subcommand): string {
  return [
    t(locale, "usage.heading"),
    ...USAGE_LINES[subcommand].map((line) => formatUsageLine(locale, line)),
  ].join("\n");
}

/** What was wrong, then the usage of the subcommand concerned (all usage if it is unknown). */
export function describeParseError(locale: Locale, error: ParseError): string {
  const params: MessageParams = {
    detail: quotableDetail(error.detail),
    subcommand: error.subcommand ?? "",
    max: limitFor(error),
  };
  const problem = t(locale, `parse.${error.code}`, params);
  const usage =
    error.subcommand === null ? usageText(locale) : subcommandUsage(locale, error.subcommand);
  return `${problem}\n${usage}`;
}

function formatUsageLine(locale: Locale, line: UsageLine): string {
  return `\`/opsfeed ${escapeMrkdwn(line.syntax)}\` — ${t(locale, line.description)}`;
}

/** The number a message about `error` quotes as its limit, if it has one. */
function limitFor(error: ParseError): number | string {
  if (error.code === "invalid-min") return MAX_MIN_BOOKMARKS;
  if (error.code === "text-too-long") {
    return error.subcommand === "assign" ? MAX_NOTE_LENGTH : MAX_COMMENT_LENGTH;
  }
  return "";
}

/** Escapes what Slack would otherwise read as markup; `&` first so entities are not doubled. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const MAX_QUOTED_DETAIL = 80;

/**
 * The offending token made safe to show inside a mrkdwn code span. It arrives Slack-escaped,
 * so only raw `<`/`>` (Slack markup such as `<!channel>`, or our own `<article>`) need
 * escaping; a backtick would end the code span; a huge token would swamp the reply.
 */
function quotableDetail(detail: string): string {
  const chars = [...detail];
  const short =
    chars.length > MAX_QUOTED_DETAIL ? `${chars.slice(0, MAX_QUOTED_DETAIL).join("")}…` : detail;
  return short.replace(/`/g, "'").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

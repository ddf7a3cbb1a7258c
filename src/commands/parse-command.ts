/**
 * The grammar of the `/opsfeed` slash command: raw text as Slack sends it in, a typed
 * command or a coded parse error out. Pure: no I/O, no Slack client, never throws.
 *
 * Slack realities this copes with: with "escape channels, users and links" on, Slack
 * escapes `&`, `<`, `>` as entities and wraps links as `<url>` / `<url|label>` and users
 * as `<@U123|name>` / `<@U123>`; Japanese IMEs type full-width spaces, digits and colons.
 */

// The article reference, the limits and the schedule's days belong to the domain; the
// grammar checks against them.
import type { DigestDays } from "../digest/types.js";
import { expandHatenaShortcut, isHatenaShortcut } from "../feeds/hatena-shortcuts.js";
import { type DueDateForm, parseDueDateForm, parseWeekday } from "../queue/due-dates.js";
import { type ArticleRef, MAX_COMMENT_LENGTH, MAX_NOTE_LENGTH } from "../queue/types.js";
import { unescapeSlackText } from "./slack-text.js";

/** A Slack user taken from a mention; `name` is the label Slack put in it, if any. */
export type UserRef = { userId: string; name: string | null };

/** A successfully parsed `/opsfeed` command. */
export type Command =
  | { name: "help" }
  | {
      name: "subscribe";
      feedUrl: string;
      include: string[];
      exclude: string[];
      minBookmarks: number | null;
      /** post each new article at once instead of in the digest */
      realtime: boolean;
      /** who a realtime post mentions, as Slack markup without its label: `<@U…>` or `<!subteam^S…>` */
      mention: string | null;
    }
  | { name: "unsubscribe"; target: { kind: "id"; id: number } | { kind: "url"; url: string } }
  | { name: "list" }
  | { name: "digest-now" }
  | {
      name: "digest-at";
      hour: number;
      minute: number;
      /** null = keep the channel's current days */
      days: DigestDays | null;
      /** null = keep the channel's current time zone */
      timeZone: string | null;
    }
  | { name: "digest-off" }
  | { name: "digest-show" }
  | { name: "later-list" }
  | { name: "later-add"; article: ArticleRef }
  | { name: "done"; article: ArticleRef }
  | {
      name: "assign";
      assignee: UserRef;
      article: ArticleRef;
      note: string | null;
      /** the `due:` date as typed, resolved later in the assignee's time zone */
      due: DueDateForm | null;
    }
  | { name: "assigned" }
  | { name: "comment"; article: ArticleRef; text: string }
  | { name: "comments"; article: ArticleRef }
  | {
      name: "preview";
      feedUrl: string;
      include: string[];
      exclude: string[];
      minBookmarks: number | null;
    }
  | { name: "why"; article: ArticleRef }
  | { name: "hatena"; article: ArticleRef }
  | { name: "report-show" }
  | {
      name: "report-at";
      /** 0 = Sunday … 6 = Saturday */
      weekday: number;
      hour: number;
      minute: number;
      /** null = OPSFEED_TIMEZONE, or the zone the channel's report already has */
      timeZone: string | null;
    }
  | { name: "report-off" }
  /** `query` is plain text (Slack's escaping undone), the words as typed */
  | { name: "search"; query: string };

/** The first word of an `/opsfeed` command. */
export type Subcommand =
  | "help"
  | "subscribe"
  | "unsubscribe"
  | "list"
  | "digest"
  | "later"
  | "done"
  | "assign"
  | "assigned"
  | "comment"
  | "comments"
  | "preview"
  | "why"
  | "hatena"
  | "report"
  | "search";

/** Every subcommand, in the order the help lists them. */
export const SUBCOMMANDS: readonly Subcommand[] = [
  "help",
  "subscribe",
  "unsubscribe",
  "list",
  "digest",
  "later",
  "done",
  "assign",
  "assigned",
  "comment",
  "comments",
  "preview",
  "why",
  "hatena",
  "report",
  "search",
];

/** What was wrong with a command; each code has a `parse.<code>` message in the catalog. */
export type ParseErrorCode =
  | "unknown-subcommand"
  | "missing-argument"
  | "unexpected-argument"
  | "invalid-url"
  | "invalid-article"
  | "invalid-subscription"
  | "invalid-option"
  | "invalid-min"
  | "invalid-time"
  | "invalid-days"
  | "invalid-time-zone"
  | "invalid-user"
  | "invalid-due"
  | "invalid-weekday"
  | "text-too-long"
  | "invalid-hatena-category"
  | "invalid-hatena-search"
  | "invalid-mention"
  | "mention-needs-realtime";

/** A command that could not be parsed. */
export interface ParseError {
  code: ParseErrorCode;
  /** The subcommand whose usage to show, or null when the subcommand itself is unknown. */
  subcommand: Subcommand | null;
  /** The offending token exactly as Slack sent it, or the name of the missing/too-long argument. */
  detail: string;
}

/** The outcome of parsing the text of an `/opsfeed` command. */
export type ParseResult = { ok: true; command: Command } | { ok: false; error: ParseError };

/** The largest N `min:N` accepts. */
export const MAX_MIN_BOOKMARKS = 100_000;

/** The argument names used as `detail` of missing-argument and text-too-long errors. */
export const ARGUMENT_NAMES = {
  feedUrl: "<feed-url>",
  subscription: "<subscription-id or feed-url>",
  time: "HH:MM",
  article: "<article>",
  user: "<@user>",
  note: "[note]",
  text: "<text>",
  weekday: "<weekday>",
  words: "<words>",
} as const;

/** Parses the text Slack sends after `/opsfeed`; empty text means help. */
export function parseCommand(text: string): ParseResult {
  const tokens = tokenize(text);
  const [first, ...rest] = tokens;
  if (!first) return { ok: true, command: { name: "help" } };

  const subcommand = asSubcommand(keyword(first.text));
  if (!subcommand) {
    return {
      ok: false,
      error: { code: "unknown-subcommand", subcommand: null, detail: first.text },
    };
  }
  try {
    const command = SUBCOMMAND_PARSERS[subcommand](
      new Arguments(text, subcommand, rest, first.end),
    );
    return { ok: true, command };
  } catch (error) {
    if (error instanceof ParseFailure) return { ok: false, error: error.parseError };
    throw error;
  }
}

// ---------------------------------------------------------------------------------
// Tokenizer

/** A word of the command text, with where it sits so free text can be cut out verbatim. */
interface Token {
  text: string;
  /** Offset just past the token in the command text. */
  end: number;
}

/** Splits on runs of whitespace; `\s` covers tabs, newlines and the full-width space U+3000. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    if (isWhitespace(text[index])) {
      index++;
      continue;
    }
    const start = index;
    while (index < text.length && !isWhitespace(text[index])) {
      // Keep Slack markup such as `<@U1|Jane Doe>` whole even if its label has spaces.
      // A literal `<` typed by the user arrives as `&lt;`, so `<` only starts markup.
      if (text[index] === "<") {
        const close = text.indexOf(">", index);
        if (close !== -1) {
          index = close + 1;
          continue;
        }
      }
      index++;
    }
    tokens.push({ text: text.slice(start, index), end: index });
  }
  return tokens;
}

function isWhitespace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

/** A token as a keyword: NFKC folds full-width letters, digits and colons an IME may type. */
function keyword(token: string): string {
  return token.normalize("NFKC").toLowerCase();
}

function asSubcommand(word: string): Subcommand | null {
  return (SUBCOMMANDS as readonly string[]).includes(word) ? (word as Subcommand) : null;
}

// ---------------------------------------------------------------------------------
// Argument cursor

/** Thrown inside the per-subcommand parsers and turned into a ParseResult by parseCommand. */
class ParseFailure extends Error {
  constructor(readonly parseError: ParseError) {
    super(`${parseError.code}: ${parseError.detail}`);
  }
}

/** What stands where an extracted token was, until the rest of the text is read. */
const CUT = "\uE000";
const CUT_RUN = /[ \t\u3000]*\uE000+[ \t\u3000]*/gu;

/** Walks the tokens after the subcommand, failing with errors about that subcommand. */
class Arguments {
  private index = 0;

  constructor(
    private text: string,
    readonly subcommand: Subcommand,
    private readonly tokens: Token[],
    private consumedUpTo: number,
  ) {}

  /** The next token, or undefined at the end. */
  next(): Token | undefined {
    const token = this.tokens[this.index];
    if (token) {
      this.index++;
      this.consumedUpTo = token.end;
    }
    return token;
  }

  /** The next token, or a missing-argument error naming `argumentName`. */
  require(argumentName: string): Token {
    return this.next() ?? this.fail("missing-argument", argumentName);
  }

  /** Everything after the last consumed token, as typed (inner spacing and newlines kept). */
  restOfText(): string {
    this.index = this.tokens.length;
    return this.text.slice(this.consumedUpTo).replace(CUT_RUN, " ").trim();
  }

  /** True while a token is left. */
  hasMore(): boolean {
    return this.index < this.tokens.length;
  }

  /**
   * Takes out of the remaining tokens the first one `pick` accepts, so that the rest of the
   * text reads as typed without it; the token, or undefined.
   */
  extract(pick: (token: Token) => boolean): Token | undefined {
    const at = this.tokens.findIndex((token, i) => i >= this.index && pick(token));
    if (at === -1) return undefined;
    const [token] = this.tokens.splice(at, 1);
    if (!token) return undefined;
    const start = token.end - token.text.length;
    // Blanked with a marker of the same length, so the other tokens' offsets still hold.
    this.text =
      this.text.slice(0, start) + CUT.repeat(token.text.length) + this.text.slice(token.end);
    return token;
  }

  /** Fails with unexpected-argument if any token is left. */
  end(): void {
    const extra = this.tokens[this.index];
    if (extra) this.fail("unexpected-argument", extra.text);
  }

  fail(code: ParseErrorCode, detail: string): never {
    throw new ParseFailure({ code, subcommand: this.subcommand, detail });
  }
}

// ---------------------------------------------------------------------------------
// Per-subcommand parsers

const SUBCOMMAND_PARSERS: Record<Subcommand, (args: Arguments) => Command> = {
  // Anything after `help` is ignored: asking for help should never be an error.
  help: () => ({ name: "help" }),
  subscribe: parseSubscribe,
  unsubscribe: parseUnsubscribe,
  list: (args) => {
    args.end();
    return { name: "list" };
  },
  digest: parseDigest,
  later: (args) => {
    const token = args.next();
    if (!token) return { name: "later-list" };
    const article = requireArticle(args, token);
    args.end();
    return { name: "later-add", article };
  },
  done: (args) => {
    const article = requireArticle(args, args.require(ARGUMENT_NAMES.article));
    args.end();
    return { name: "done", article };
  },
  assign: parseAssign,
  assigned: (args) => {
    args.end();
    return { name: "assigned" };
  },
  comment: parseComment,
  comments: (args) => {
    const article = requireArticle(args, args.require(ARGUMENT_NAMES.article));
    args.end();
    return { name: "comments", article };
  },
  preview: (args) => {
    // The same feed and filters as `subscribe`; errors name `preview` and show its usage.
    const { feedUrl, include, exclude, minBookmarks } = parseSubscribe(args) as Extract<
      Command,
      { name: "subscribe" }
    >;
    return { name: "preview", feedUrl, include, exclude, minBookmarks };
  },
  why: (args) => {
    const article = requireArticle(args, args.require(ARGUMENT_NAMES.article));
    args.end();
    return { name: "why", article };
  },
  hatena: (args) => {
    const article = requireArticle(args, args.require(ARGUMENT_NAMES.article));
    args.end();
    return { name: "hatena", article };
  },
  report: parseReport,
  // Empty: usage. Too long or too many words is refused in words by the search itself,
  // which also checks the query a Next button carries.
  search: (args) => {
    const query = unescapeSlackText(args.restOfText()).trim();
    if (query === "") args.fail("missing-argument", ARGUMENT_NAMES.words);
    return { name: "search", query };
  },
};

/** `report`, `report off`, `report at <weekday> HH:MM [zone]`. */
function parseReport(args: Arguments): Command {
  const action = args.next();
  if (!action) return { name: "report-show" };
  switch (keyword(action.text)) {
    case "off":
      args.end();
      return { name: "report-off" };
    case "at": {
      const dayToken = args.require(ARGUMENT_NAMES.weekday);
      const weekday = parseWeekday(dayToken.text) ?? args.fail("invalid-weekday", dayToken.text);
      const timeToken = args.require(ARGUMENT_NAMES.time);
      const time = parseTimeOfDay(timeToken.text) ?? args.fail("invalid-time", timeToken.text);
      const zoneToken = args.next();
      const timeZone = zoneToken
        ? (canonicalTimeZone(zoneToken.text) ?? args.fail("invalid-time-zone", zoneToken.text))
        : null;
      args.end();
      return { name: "report-at", weekday, hour: time.hour, minute: time.minute, timeZone };
    }
    default:
      return args.fail("unexpected-argument", action.text);
  }
}

type FilterOption = "include" | "exclude";

/**
 * `subscribe <feed-url> [include:w1,w2] [exclude:w3] [min:N] [realtime] [mention:<@user>|<!subteam^ID>]`,
 * options in any order; `mention:` only with `realtime`.
 */
function parseSubscribe(args: Arguments): Command {
  const urlToken = args.require(ARGUMENT_NAMES.feedUrl);
  const feedUrl = parseFeedSource(args, urlToken);

  const words: Record<FilterOption, string[]> = { include: [], exclude: [] };
  const optionTokens = new Map<string, Token>();
  let minBookmarks: number | null = null;
  let realtime = false;
  let mention: { markup: string; token: Token } | null = null;
  // A word list may go on in the next token when a comma or colon sits on the space
  // between them, as people naturally type: `include:a, b`, `include: a,b`, `include:a ,b`.
  let lastList: string[] | null = null;
  let listWantsMore = false;

  for (let token = args.next(); token; token = args.next()) {
    const option = splitOption(token.text);
    if (!option && keyword(token.text) === "realtime" && !listWantsMore) {
      if (realtime) args.fail("invalid-option", token.text);
      realtime = true;
      lastList = null;
      continue;
    }
    if (!option) {
      if (!lastList || !(listWantsMore || startsWithWordSeparator(token.text))) {
        args.fail("unexpected-argument", token.text);
      }
      lastList.push(...splitWords(token.text));
      listWantsMore = endsWithWordSeparator(token.text);
      continue;
    }
    lastList = null;
    const key = keyword(option.key);
    if (optionTokens.has(key)) args.fail("invalid-option", token.text);
    optionTokens.set(key, token);

    if (key === "include" || key === "exclude") {
      const list = words[key];
      list.push(...splitWords(option.value));
      lastList = list;
      listWantsMore = option.value === "" || endsWithWordSeparator(option.value);
    } else if (key === "min") {
      minBookmarks = parseMinBookmarks(option.value) ?? args.fail("invalid-min", token.text);
    } else if (key === "mention") {
      const markup = parseMentionTarget(option.value) ?? args.fail("invalid-mention", token.text);
      mention = { markup, token };
    } else {
      args.fail("invalid-option", token.text);
    }
  }

  // Checked after the loop because a following token may still supply the words.
  for (const key of ["include", "exclude"] as const) {
    const token = optionTokens.get(key);
    if (token && words[key].length === 0) args.fail("invalid-option", token.text);
  }
  if (mention && !realtime) args.fail("mention-needs-realtime", mention.token.text);
  return {
    name: "subscribe",
    feedUrl,
    include: words.include,
    exclude: words.exclude,
    minBookmarks,
    realtime,
    mention: mention?.markup ?? null,
  };
}

/** A feed URL, or a Hatena shortcut (`hatena:hot:it`, `hatena:search:障害`) expanded to one. */
function parseFeedSource(args: Arguments, token: Token): string {
  const text = unescapeSlackText(token.text);
  if (isHatenaShortcut(text)) {
    const shortcut = expandHatenaShortcut(text);
    if (shortcut?.ok) return shortcut.url;
    args.fail(
      shortcut?.reason === "missing-words" ? "invalid-hatena-search" : "invalid-hatena-category",
      token.text,
    );
  }
  return parseHttpUrl(token.text) ?? args.fail("invalid-url", token.text);
}

/**
 * Who a realtime post mentions, as Slack sends a mention picked from its suggestions: a user
 * (`<@U123|name>`, `<@U123>`) or a user group (`<!subteam^S123|@ops>`, `<!subteam^S123>`).
 * The label is dropped: Slack shows the current name when it renders the mention.
 */
function parseMentionTarget(value: string): string | null {
  const user = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value);
  if (user?.[1]) return `<@${user[1]}>`;
  const group = /^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(value);
  if (group?.[1]) return `<!subteam^${group[1]}>`;
  return null;
}

/** `key:value` (ASCII or full-width colon); URL-shaped tokens such as `https://…` are not options. */
function splitOption(token: string): { key: string; value: string } | null {
  const match = /^([^\s:：<]+)[:：](.*)$/su.exec(token);
  if (!match) return null;
  const [, key = "", value = ""] = match;
  if (value.startsWith("//")) return null;
  return { key, value };
}

/** Filter words: split on ASCII, full-width and Japanese commas; trimmed; empties dropped. */
function splitWords(value: string): string[] {
  return value
    .split(WORD_SEPARATORS)
    .map((word) => unescapeSlackText(word).trim())
    .filter((word) => word !== "");
}

const WORD_SEPARATORS = /[,、，､]/u;

function endsWithWordSeparator(value: string): boolean {
  return WORD_SEPARATORS.test(value.slice(-1));
}

function startsWithWordSeparator(value: string): boolean {
  return WORD_SEPARATORS.test(value.slice(0, 1));
}

function parseMinBookmarks(value: string): number | null {
  const digits = value.normalize("NFKC");
  if (!/^\d+$/.test(digits)) return null;
  const n = Number(digits);
  return n <= MAX_MIN_BOOKMARKS ? n : null;
}

/** `unsubscribe <subscription-id or feed-url>`. */
function parseUnsubscribe(args: Arguments): Command {
  const token = args.require(ARGUMENT_NAMES.subscription);
  const target =
    parseSubscriptionTarget(token.text) ?? args.fail("invalid-subscription", token.text);
  args.end();
  return { name: "unsubscribe", target };
}

function parseSubscriptionTarget(
  token: string,
): { kind: "id"; id: number } | { kind: "url"; url: string } | null {
  const id = parsePositiveInteger(token);
  if (id !== null) return { kind: "id", id };
  const url = parseHttpUrl(token);
  return url === null ? null : { kind: "url", url };
}

/** `digest`, `digest now`, `digest off`, `digest at HH:MM [daily|weekdays] [zone]`. */
function parseDigest(args: Arguments): Command {
  const action = args.next();
  if (!action) return { name: "digest-show" };
  switch (keyword(action.text)) {
    case "now":
      args.end();
      return { name: "digest-now" };
    case "off":
      args.end();
      return { name: "digest-off" };
    case "at":
      return parseDigestAt(args);
    default:
      return args.fail("unexpected-argument", action.text);
  }
}

function parseDigestAt(args: Arguments): Command {
  const timeToken = args.require(ARGUMENT_NAMES.time);
  const time = parseTimeOfDay(timeToken.text) ?? args.fail("invalid-time", timeToken.text);

  let days: DigestDays | null = null;
  let timeZone: string | null = null;
  const slot = args.next();
  if (slot) {
    days = parseDays(slot.text);
    if (days === null) {
      // Not a days word: it is either a zone given without days, or a mistake in one of
      // the two; name the one the user most likely meant.
      timeZone = canonicalTimeZone(slot.text);
      if (timeZone === null) {
        const meantZone = !args.hasMore() && /[/A-Z0-9]/.test(slot.text.normalize("NFKC"));
        args.fail(meantZone ? "invalid-time-zone" : "invalid-days", slot.text);
      }
    } else {
      const zoneToken = args.next();
      if (zoneToken) {
        timeZone =
          canonicalTimeZone(zoneToken.text) ?? args.fail("invalid-time-zone", zoneToken.text);
      }
    }
  }
  args.end();
  return { name: "digest-at", hour: time.hour, minute: time.minute, days, timeZone };
}

/** `H:MM` or `HH:MM` on a 24-hour clock; `9:5`, `24:00` and `9am` are refused. */
function parseTimeOfDay(token: string): { hour: number; minute: number } | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(token.normalize("NFKC"));
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

function parseDays(token: string): DigestDays | null {
  const word = keyword(token);
  return word === "daily" || word === "weekdays" ? word : null;
}

/** The canonical spelling of an IANA time zone (`asia/tokyo` → `Asia/Tokyo`), or null. */
function canonicalTimeZone(token: string): string | null {
  const name = token.normalize("NFKC");
  // Newer Intl versions also accept offsets like `+09:00`; those are not IANA names.
  if (!/^[A-Za-z]/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * `assign <@user> <article> [note] [due:<date>]`; `due:` may stand anywhere after the article
 * (once), and the note is the rest of the text, as typed.
 */
function parseAssign(args: Arguments): Command {
  const userToken = args.require(ARGUMENT_NAMES.user);
  const assignee = parseMention(userToken.text) ?? args.fail("invalid-user", userToken.text);
  const article = requireArticle(args, args.require(ARGUMENT_NAMES.article));
  const isDue = (token: Token) => keyword(splitOption(token.text)?.key ?? "") === "due";
  const dueToken = args.extract(isDue);
  let due: DueDateForm | null = null;
  if (dueToken) {
    const value = splitOption(dueToken.text)?.value ?? "";
    due = parseDueDateForm(value) ?? args.fail("invalid-due", dueToken.text);
    const second = args.extract(isDue);
    if (second) args.fail("invalid-due", second.text);
  }
  const note = args.restOfText();
  if (displayedLength(note) > MAX_NOTE_LENGTH) args.fail("text-too-long", ARGUMENT_NAMES.note);
  return { name: "assign", assignee, article, note: note === "" ? null : note, due };
}

/**
 * `comment <article> <text>`. The text stays Slack-escaped: it is posted back to Slack
 * as mrkdwn, where the escaped form is exactly right.
 */
function parseComment(args: Arguments): Command {
  const article = requireArticle(args, args.require(ARGUMENT_NAMES.article));
  const text = args.restOfText();
  if (text === "") args.fail("missing-argument", ARGUMENT_NAMES.text);
  if (displayedLength(text) > MAX_COMMENT_LENGTH) args.fail("text-too-long", ARGUMENT_NAMES.text);
  return { name: "comment", article, text };
}

// ---------------------------------------------------------------------------------
// Values

function requireArticle(args: Arguments, token: Token): ArticleRef {
  const id = parsePositiveInteger(token.text);
  if (id !== null) return { kind: "number", id };
  const url = parseHttpUrl(token.text);
  if (url !== null) return { kind: "url", url };
  return args.fail("invalid-article", token.text);
}

/** A positive integer, `#` prefix allowed (`#42`), full-width digits folded. */
function parsePositiveInteger(token: string): number | null {
  const match = /^#?(\d+)$/.exec(token.normalize("NFKC"));
  if (!match) return null;
  const n = Number(match[1]);
  return n > 0 && Number.isSafeInteger(n) ? n : null;
}

/**
 * An http(s) URL, bare or wrapped by Slack as `<url>` / `<url|label>`, with Slack's
 * entities undone. Returned as typed (not normalised) so it matches stored URLs exactly.
 */
function parseHttpUrl(token: string): string | null {
  const candidate = unescapeSlackText(unwrapSlackLink(token));
  // Requiring `//` refuses `http:foo`, which `new URL` would happily accept.
  if (!/^https?:\/\//i.test(candidate)) return null;
  try {
    new URL(candidate);
    return candidate;
  } catch {
    return null;
  }
}

/** `<url|label>` → `url`; `<url>` → `url`; anything else unchanged. */
function unwrapSlackLink(token: string): string {
  if (!token.startsWith("<") || !token.endsWith(">")) return token;
  const inner = token.slice(1, -1);
  const bar = inner.indexOf("|");
  return bar === -1 ? inner : inner.slice(0, bar);
}

/** A Slack user mention `<@U123|name>` or `<@U123>` (user IDs start with U or W). */
function parseMention(token: string): UserRef | null {
  const match = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(token);
  if (!match?.[1]) return null;
  const name = unescapeSlackText(match[2] ?? "").trim();
  return { userId: match[1], name: name === "" ? null : name };
}

/** Length as the user typed it: entities count as one character, emoji as one, not two. */
function displayedLength(text: string): number {
  return [...unescapeSlackText(text)].length;
}

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseCommand } from "../commands/parse-command.js";
import { describeParseError } from "../commands/usage.js";
import { isAppError } from "../errors.js";
import { displayUrl } from "../feeds/canonical-url.js";
import type { FeedPreview, FeedStatus } from "../feeds/feed-service.js";
import { parseOpml, renderOpml } from "../feeds/opml.js";
import type { FeedNotifier, PollOutcome } from "../feeds/poller.js";
import { type MessageKey, type MessageParams, t } from "../i18n/catalog.js";
import { feedPreviewer, withOperatorServices } from "../wiring.js";
import {
  type CliIo,
  channelIdOption,
  cliLogger,
  formatDateTime,
  operatorSettings,
  plainText,
  type Verb,
} from "./verb.js";

/** A coded error in English words for a terminal. */
function describeCode(code: string, params: MessageParams): string {
  return plainText(t("en", code as MessageKey, params));
}

/** An error in English words for a terminal. */
function describe(error: unknown): string {
  return isAppError(error) ? describeCode(error.code, error.params) : (error as Error).message;
}

/**
 * Without a bot token the CLI says what it would have posted, so an operator running `poll`
 * by hand still sees outages (with one, the services post them to Slack).
 */
function printNotices(io: CliIo): FeedNotifier {
  return {
    async record(_trx, notice, channels) {
      io.out(
        `notice (${notice.kind}) for ${channels.join(", ")} not posted: SLACK_BOT_TOKEN is not set`,
      );
      return [];
    },
    send: async () => {},
  };
}

/** A polled feed's line: new articles, not modified, or the error in words. */
function pollLine(outcome: PollOutcome): string {
  const what =
    outcome.result === "fetched"
      ? `${outcome.newArticles} new articles`
      : outcome.result === "not-modified"
        ? "not modified"
        : `error: ${describeCode(outcome.errorCode ?? "fetch.network", outcome.errorParams)}`;
  return `feed ${outcome.feedId} ${outcome.url}: ${what}`;
}

/** A feed in back-off: how often it failed and when it is tried next. */
function skippedLine(feed: FeedStatus, timeZone: string): string {
  const next = formatDateTime(feed.next_fetch_at as string, timeZone);
  return `feed ${feed.id} ${displayUrl(feed.url)}: skipped, backing off after ${feed.consecutive_failures} failures; next attempt ${next}`;
}

/** `opsfeed poll`: one pass over the due feeds, a line per feed as each finishes. */
export const poll: Verb = {
  synopsis: "opsfeed poll",
  usage: "opsfeed poll",
  summary: "fetch the due feeds once, a line per feed",
  details: [
    "Feeds backing off after failures are named with their next attempt. Exits 1",
    "when any feed failed. Outage notices are posted when SLACK_BOT_TOKEN is set.",
  ],
  async run(_args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const failed = await withOperatorServices(
      settings,
      cliLogger(settings, io),
      printNotices(io),
      async (services) => {
        const now = services.clock().getTime();
        const feeds = await services.feeds.status();
        const backingOff = feeds.filter(
          (feed) => feed.next_fetch_at !== null && Date.parse(feed.next_fetch_at) > now,
        );
        for (const feed of backingOff) io.out(skippedLine(feed, settings.timeZone));
        const total = feeds.length - backingOff.length;
        let done = 0;
        let errors = 0;
        io.progress?.(`polling ${total} feeds…`);
        await services.feeds.pollDue({
          onOutcome: (outcome) => {
            done++;
            if (outcome.result === "error") errors++;
            io.progress?.("");
            io.out(pollLine(outcome));
            io.progress?.(`polled ${done} of ${total} feeds, ${errors} failed`);
          },
        });
        io.progress?.("");
        if (done === 0 && backingOff.length === 0) io.out("no feeds are due");
        else io.out(`${done} polled, ${errors} failed, ${backingOff.length} backing off`);
        return errors;
      },
      { existingOnly: true },
    );
    return failed > 0 ? 1 : 0;
  },
};

/** `opsfeed preview <feed-url> [include:…] [exclude:…] [min:N]`: what a subscription would get. */
export const preview: Verb = {
  synopsis: "opsfeed preview <feed-url>",
  usage: "opsfeed preview <feed-url> [include:w1,w2] [exclude:w3] [min:N]",
  summary: "print what a subscription would get",
  details: [
    "Needs neither a database nor Slack. Dates are in OPSFEED_TIMEZONE.",
    "Columns: bookmark count (Hatena), date, title; the URL below each.",
  ],
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const parsed = parseCommand(["subscribe", ...args].join(" "));
    if (!parsed.ok || parsed.command.name !== "subscribe") {
      const reason = parsed.ok
        ? ""
        : plainText(describeParseError("en", parsed.error).split("\n")[0] ?? "");
      io.err(`preview: ${reason}\nusage: ${preview.usage}`);
      return 2;
    }
    const { feedUrl, include, exclude, minBookmarks } = parsed.command;
    let result: FeedPreview;
    try {
      result = await feedPreviewer(settings)(feedUrl, { include, exclude, minBookmarks });
    } catch (error) {
      io.err(`preview: ${describe(error)}`);
      return 1;
    }
    const { feed, passing, dropped } = result;
    io.out(
      `${feed.title} (${feed.format}): ${feed.items.length} articles, ${passing.length} pass the filters`,
    );
    if (include.length > 0 || exclude.length > 0 || minBookmarks !== null) {
      io.out(
        `dropped: include: ${dropped.include}, exclude: ${dropped.exclude}, min: ${dropped.min}`,
      );
    }
    for (const item of passing) {
      const count = item.bookmarkCount === null ? "-" : String(item.bookmarkCount);
      const date = item.publishedAt
        ? formatDateTime(item.publishedAt, settings.timeZone)
        : "(no date)";
      io.out(`${count.padStart(6)}  ${date}  ${item.title}`);
      io.out(`${" ".repeat(8)}${item.url}`);
    }
    return 0;
  },
};

/** `opsfeed import-opml <file> --channel <id>`: subscribe a channel to every feed of an OPML file. */
export const importOpml: Verb = {
  synopsis: "opsfeed import-opml <file>",
  usage: "opsfeed import-opml <file> --channel <channel-id>",
  summary: "subscribe a channel to an OPML file's feeds",
  details: ["A line per feed; exits 1 if any feed could not be subscribed."],
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { channel: { type: "string" } },
    });
    const file = positionals[0];
    if (!file || values.channel === undefined) {
      io.err(`import-opml: expected a file and --channel\nusage: ${importOpml.usage}`);
      return 2;
    }
    const channel = channelIdOption(values.channel, "import-opml", io);
    if (!channel) return 2;
    let entries: ReturnType<typeof parseOpml>;
    try {
      entries = parseOpml(readFileSync(file, "utf8"));
    } catch (error) {
      io.err(`import-opml: ${describe(error)}`);
      return 1;
    }
    let failures = 0;
    await withOperatorServices(
      settings,
      cliLogger(settings, io),
      printNotices(io),
      async (services) => {
        for (const entry of entries) {
          try {
            const outcome = await services.subscriptions.subscribe({
              channelId: channel,
              userId: "opsfeed-cli",
              feedUrl: entry.feedUrl,
              filters: { include: [], exclude: [], minBookmarks: null },
            });
            io.out(
              `${outcome.updated ? "already subscribed" : "subscribed"} ${channel} to ${outcome.feedUrl} (${outcome.feedTitle}, ${outcome.articleCount} articles)`,
            );
          } catch (error) {
            failures++;
            io.out(`failed ${displayUrl(entry.feedUrl)}: ${describe(error)}`);
          }
        }
      },
    );
    io.out(`${entries.length - failures} of ${entries.length} feeds subscribed`);
    return failures > 0 ? 1 : 0;
  },
};

/** `opsfeed export-opml [--channel <id>]`: the subscribed feeds as OPML on stdout. */
export const exportOpml: Verb = {
  synopsis: "opsfeed export-opml",
  usage: "opsfeed export-opml [--channel <channel-id>]",
  summary: "print the subscribed feeds as OPML",
  details: ["All feeds, or one channel's. Never creates or changes the database."],
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const { values } = parseArgs({ args, options: { channel: { type: "string" } } });
    const channel =
      values.channel === undefined ? null : channelIdOption(values.channel, "export-opml", io);
    if (values.channel !== undefined && channel === null) return 2;
    const feeds = await withOperatorServices(
      settings,
      cliLogger(settings, io),
      printNotices(io),
      (services) => services.subscriptions.feedsToExport(channel),
      { existingOnly: true },
    );
    io.out(renderOpml("opsfeed subscriptions", feeds));
    return 0;
  },
};

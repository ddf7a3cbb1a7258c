import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseCommand } from "../commands/parse-command.js";
import { describeParseError } from "../commands/usage.js";
import { isAppError } from "../errors.js";
import type { FeedPreview } from "../feeds/feed-service.js";
import { parseOpml, renderOpml } from "../feeds/opml.js";
import type { FeedNotifier } from "../feeds/poller.js";
import { type MessageKey, type MessageParams, t } from "../i18n/catalog.js";
import { feedPreviewer, withOperatorServices } from "../wiring.js";
import { type CliIo, cliLogger, operatorSettings, plainText, type Verb } from "./verb.js";

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

/** `opsfeed poll`: one pass over the due feeds, a line per feed. */
export const poll: Verb = {
  usage: "opsfeed poll",
  summary: "fetch the feeds that are due now, once; prints a line per feed",
  async run(_args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const outcomes = await withOperatorServices(
      settings,
      cliLogger(settings, io),
      printNotices(io),
      (services) => services.feeds.pollDue(),
    );
    if (outcomes.length === 0) io.out("no feeds are due");
    for (const outcome of outcomes) {
      const what =
        outcome.result === "fetched"
          ? `${outcome.newArticles} new articles`
          : outcome.result === "not-modified"
            ? "not modified (304)"
            : `error: ${describeCode(outcome.errorCode ?? "fetch.network", outcome.errorParams)}`;
      io.out(`feed ${outcome.feedId} ${outcome.url}: ${what}`);
    }
    return 0;
  },
};

/** `opsfeed preview <feed-url> [include:…] [exclude:…] [min:N]`: what a subscription would get. */
export const preview: Verb = {
  usage: "opsfeed preview <feed-url> [include:w1,w2] [exclude:w3] [min:N]",
  summary: "print the articles that subscription would get; stores nothing, needs no Slack",
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
    const { feed, passing } = result;
    io.out(
      `${feed.title} (${feed.format}): ${feed.items.length} articles, ${passing.length} pass the filters`,
    );
    for (const item of passing) {
      const count = item.bookmarkCount === null ? "-" : String(item.bookmarkCount);
      const date = item.publishedAt ? item.publishedAt.slice(0, 16).replace("T", " ") : "(no date)";
      io.out(`${count.padStart(6)}  ${date}  ${item.title}`);
      io.out(`${" ".repeat(8)}${item.url}`);
    }
    return 0;
  },
};

/** `opsfeed import-opml <file> --channel <id>`: subscribe a channel to every feed of an OPML file. */
export const importOpml: Verb = {
  usage: "opsfeed import-opml <file> --channel <channel-id>",
  summary: "subscribe a channel to every feed in an OPML file; prints a line per feed",
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { channel: { type: "string" } },
    });
    const file = positionals[0];
    const channel = values.channel?.trim();
    if (!file || !channel) {
      io.err(`import-opml: expected a file and --channel\nusage: ${importOpml.usage}`);
      return 2;
    }
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
            io.out(`failed ${entry.feedUrl}: ${describe(error)}`);
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
  usage: "opsfeed export-opml [--channel <channel-id>]",
  summary: "print the subscribed feeds (all, or one channel's) as OPML",
  async run(args, io) {
    const settings = operatorSettings(io);
    if (!settings) return 1;
    const { values } = parseArgs({ args, options: { channel: { type: "string" } } });
    const feeds = await withOperatorServices(
      settings,
      cliLogger(settings, io),
      printNotices(io),
      (services) => services.subscriptions.feedsToExport(values.channel ?? null),
    );
    io.out(renderOpml("opsfeed subscriptions", feeds));
    return 0;
  },
};

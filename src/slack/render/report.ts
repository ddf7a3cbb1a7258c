import type { types } from "@slack/bolt";
import { formatClock } from "../../digest/schedule.js";
import { type MessageKey, t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { ReportArticle, ReportScheduleView, WeeklyReport } from "../../queue/types.js";
import { articleLink } from "./article.js";
import { context, header, section } from "./blocks.js";
import { describeCodedError } from "./error-reply.js";
import { escapeSlackText, linkableUrl, shortenEscaped, slackDate } from "./escape.js";
import { fallbackText, type Reply, textReply } from "./reply.js";

/*
 * The weekly reading report (ephemeral for `report`, posted in the channel on its schedule)
 * and the replies to setting and stopping its schedule. Each listed article and feed is its
 * own section, so five long titles and URLs stay within 3,000 characters a text; the whole
 * report is at most 25 blocks, however busy the week.
 */

type KnownBlock = types.KnownBlock;

/** Longest feed title shown. */
const MAX_FEED_TITLE = 200;

function weekdayName(locale: Locale, weekday: number): string {
  return t(locale, `report.weekday.${weekday}` as MessageKey);
}

function scheduleLine(locale: Locale, schedule: ReportScheduleView | null): string {
  if (!schedule) return t(locale, "report.schedule.none");
  return t(locale, "report.schedule.set", {
    weekday: weekdayName(locale, schedule.weekday),
    time: formatClock(schedule.hour, schedule.minute),
    zone: escapeSlackText(schedule.timeZone),
    next: slackDate(schedule.nextAt),
  });
}

function articleList(
  locale: Locale,
  prefix: string,
  items: ReportArticle[],
  total: number,
  keys: { heading: MessageKey; item: MessageKey; none: MessageKey },
): KnownBlock[] {
  const blocks: KnownBlock[] = [section(`${prefix}-heading`, t(locale, keys.heading))];
  if (items.length === 0) {
    blocks.push(context(`${prefix}-none`, t(locale, keys.none)));
    return blocks;
  }
  items.forEach((item, index) => {
    blocks.push(
      section(
        `${prefix}-${item.article.id}`,
        t(locale, keys.item, {
          rank: index + 1,
          article: articleLink(item.article),
          count: item.count,
        }),
      ),
    );
  });
  if (total > items.length) {
    blocks.push(
      context(`${prefix}-more`, t(locale, "report.more-articles", { count: total - items.length })),
    );
  }
  return blocks;
}

/** The weekly report of a channel. */
export function renderReport(locale: Locale, report: WeeklyReport): Reply {
  const blocks: KnownBlock[] = [
    header("report-header", t(locale, "report.header")),
    context(
      "report-period",
      t(locale, "report.period", {
        from: slackDate(report.from, "{date_short_pretty}"),
        to: slackDate(report.to, "{date_short_pretty} {time}"),
      }),
    ),
    section(
      "report-summary",
      t(locale, "report.summary", {
        posted: report.postedCount,
        opened: report.assignments.opened,
        done: report.assignments.done,
        overdue: report.assignments.overdue,
      }),
    ),
    { type: "divider", block_id: "report-saved-start" },
    ...articleList(locale, "report-saved", report.mostSaved, report.savedArticles, {
      heading: "report.saved.heading",
      item: "report.saved.item",
      none: "report.saved.none",
    }),
    { type: "divider", block_id: "report-discussed-start" },
    ...articleList(locale, "report-discussed", report.mostDiscussed, report.discussedArticles, {
      heading: "report.discussed.heading",
      item: "report.discussed.item",
      none: "report.discussed.none",
    }),
    { type: "divider", block_id: "report-feeds-start" },
    section("report-feeds-heading", t(locale, "report.feeds.heading")),
  ];
  const feeds = report.failedFeeds.slice(0, 5);
  if (feeds.length === 0) blocks.push(context("report-feeds-none", t(locale, "report.feeds.none")));
  feeds.forEach((feed, index) => {
    const title = shortenEscaped(feed.title || feed.url, MAX_FEED_TITLE);
    const url = linkableUrl(feed.url);
    blocks.push(
      section(
        `report-feed-${index}`,
        t(locale, "report.feeds.item", {
          feed: url ? `<${url}|${title}>` : title,
          since: feed.failingSince ? slackDate(feed.failingSince) : "—",
          failures: feed.failures,
          error: describeCodedError(locale, feed.errorCode, feed.errorParams),
        }),
      ),
    );
  });
  if (report.failedFeeds.length > feeds.length) {
    blocks.push(
      context(
        "report-feeds-more",
        t(locale, "report.feeds.more", { count: report.failedFeeds.length - feeds.length }),
      ),
    );
  }
  blocks.push(context("report-schedule", scheduleLine(locale, report.schedule)));
  const text = fallbackText(t(locale, "report.fallback", { posted: report.postedCount }));
  return { text, blocks };
}

/** The reply to `report at …`. */
export function renderReportScheduleSet(locale: Locale, schedule: ReportScheduleView): Reply {
  return textReply(
    t(locale, "report.set-reply", {
      weekday: weekdayName(locale, schedule.weekday),
      time: formatClock(schedule.hour, schedule.minute),
      zone: escapeSlackText(schedule.timeZone),
      next: slackDate(schedule.nextAt),
    }),
  );
}

/** The reply to `report off`. */
export function renderReportOff(locale: Locale, stopped: boolean): Reply {
  return textReply(t(locale, stopped ? "report.off-reply" : "report.off-none"));
}

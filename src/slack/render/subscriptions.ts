import { describeFilters } from "../../feeds/filters.js";
import type { FeedNotice } from "../../feeds/poller.js";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { DigestError, SubscribeOutcome, SubscriptionView } from "../../subscriptions/types.js";
import { context, section } from "./blocks.js";
import { describeCodedError } from "./error-reply.js";
import { escapeSlackText, safeLinkUrl, slackDate } from "./escape.js";
import { fallbackText, MAX_BLOCKS, type Reply, textReply } from "./reply.js";
import { describeDigestError, scheduleParams } from "./schedule.js";

type Block = NonNullable<Reply["blocks"]>[number];

/** Parameters for a feed link: its title escaped, its URL made safe for `<url|title>`. */
function feedLink(title: string, url: string): { title: string; url: string } {
  return { title: escapeSlackText(title), url: safeLinkUrl(url) ?? escapeSlackText(url) };
}

/**
 * The reply to `subscribe`: what was subscribed, how much it holds, how it delivers (and a
 * switch of mode or mention), and any schedule set.
 */
export function renderSubscribeReply(
  locale: Locale,
  outcome: SubscribeOutcome,
  filters: string,
  options: { realtimePollSeconds: number } = { realtimePollSeconds: 120 },
): Reply {
  const link = feedLink(outcome.feedTitle, outcome.feedUrl);
  const params = { ...link, count: outcome.articleCount, matching: outcome.matchingCount };
  const lines = [t(locale, outcome.updated ? "subscribe.updated" : "subscribe.created", params)];
  if (filters)
    lines.push(t(locale, "subscribe.filters", { filters: `\`${escapeSlackText(filters)}\`` }));
  const { delivery, previous } = outcome;
  if (previous && previous.mode !== delivery.mode) {
    lines.push(
      t(
        locale,
        delivery.mode === "realtime" ? "subscribe.switched-realtime" : "subscribe.switched-digest",
      ),
    );
  }
  if (delivery.mode === "realtime") {
    if (previous?.mode !== "realtime") {
      const seconds = options.realtimePollSeconds;
      const interval =
        seconds % 60 === 0
          ? t(locale, "realtime.interval-minutes", { count: seconds / 60 })
          : t(locale, "realtime.interval-seconds", { count: seconds });
      lines.push(t(locale, "subscribe.realtime", { interval }));
    }
    if (delivery.mention) {
      lines.push(t(locale, "subscribe.realtime-mention", { mention: delivery.mention }));
    } else if (previous?.mode === "realtime" && previous.mention) {
      lines.push(t(locale, "subscribe.mention-changed"));
    }
  }
  if (outcome.scheduleCreated) {
    lines.push(
      t(locale, "subscribe.schedule-created", scheduleParams(locale, outcome.scheduleCreated)),
    );
  }
  return {
    text: fallbackText(lines.join("\n")),
    blocks: lines.map((line, index) => section(`subscribe-${index}`, line)),
  };
}

/** The reply to `unsubscribe`. */
export function renderUnsubscribeReply(
  locale: Locale,
  feed: { feedTitle: string; feedUrl: string },
): Reply {
  return textReply(t(locale, "unsubscribe.done", feedLink(feed.feedTitle, feed.feedUrl)));
}

/**
 * The reply to `list`: id, title, URL, filters, last fetch and last error of each
 * subscription, after the channel's digest error if its last digest could not be posted.
 */
export function renderSubscriptionList(
  locale: Locale,
  subscriptions: SubscriptionView[],
  stoppedBy: DigestError | null = null,
): Reply {
  const digestError = stoppedBy
    ? describeDigestError(locale, stoppedBy.code, stoppedBy.kind)
    : null;
  if (subscriptions.length === 0) {
    return textReply([t(locale, "list.empty"), digestError].filter(Boolean).join("\n"));
  }
  const heading = t(locale, "list.heading", { count: subscriptions.length });
  const blocks: Block[] = [section("list-heading", heading)];
  if (digestError) blocks.push(section("list-digest-error", digestError));
  // Each subscription takes two blocks; keep one for the "more" line.
  const room = Math.floor((MAX_BLOCKS - blocks.length - 1) / 2);
  const shown = subscriptions.slice(0, room);
  for (const subscription of shown) {
    blocks.push(
      section(
        `subscription-${subscription.id}`,
        t(locale, "list.item", {
          id: subscription.id,
          ...feedLink(subscription.feedTitle, subscription.feedUrl),
        }),
      ),
    );
    const filters = describeFilters(subscription.filters);
    const mode =
      subscription.mode === "realtime"
        ? subscription.mention
          ? t(locale, "list.mode-realtime-mention", { mention: subscription.mention })
          : t(locale, "list.mode-realtime")
        : t(locale, "list.mode-digest");
    const details = [
      mode,
      filters ? `\`${escapeSlackText(filters)}\`` : t(locale, "list.no-filters"),
      subscription.lastSuccessAt
        ? t(locale, "list.last-fetch", { time: slackDate(subscription.lastSuccessAt) })
        : t(locale, "list.never-fetched"),
    ];
    if (subscription.lastErrorCode) {
      details.push(
        t(locale, "list.last-error", {
          failures: subscription.consecutiveFailures,
          error: describeCodedError(
            locale,
            subscription.lastErrorCode,
            subscription.lastErrorParams,
          ),
        }),
      );
    }
    blocks.push(context(`subscription-${subscription.id}-details`, details.join(" · ")));
  }
  if (subscriptions.length > shown.length) {
    const more = t(locale, "list.more", { count: subscriptions.length - shown.length });
    blocks.push(context("list-more", more));
  }
  // Only the feeds' own text needs escaping; the heading and error are catalog mrkdwn already.
  const fallback = [
    heading,
    ...(digestError ? [digestError] : []),
    ...shown.map((s) => escapeSlackText(`${s.id} ${s.feedTitle} ${s.feedUrl}`)),
  ];
  return { text: fallbackText(fallback.join("\n")), blocks };
}

/** A feed's outage or recovery notice for its channels. */
export function renderFeedNotice(locale: Locale, notice: FeedNotice): Reply {
  const link = feedLink(notice.feedTitle, notice.feedUrl);
  const text =
    notice.kind === "outage"
      ? t(locale, "notice.outage", {
          ...link,
          since: slackDate(notice.failingSince),
          error: describeCodedError(locale, notice.errorCode, notice.errorParams),
        })
      : t(locale, "notice.recovered", link);
  return textReply(text);
}

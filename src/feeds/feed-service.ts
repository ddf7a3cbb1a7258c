import type { FeedHealthSummary, Metrics } from "../metrics/types.js";
import { type FeedStatusRow, listFeedStatus } from "../store/feed-status.js";
import { OUTAGE_NOTICE_AFTER_MS } from "./backoff.js";
import { type FeedFetcher, fetchFeedOrThrow } from "./fetch-feed.js";
import { droppingFilter } from "./filters.js";
import {
  type OnPollOutcome,
  POLL_CONCURRENCY,
  type PollConcurrency,
  type PollDeps,
  pollChannelFeeds,
  pollDueFeeds,
  pollDueRealtimeFeeds,
} from "./poller.js";
import type { ParsedFeed, ParsedItem, SubscriptionFilters } from "./types.js";

/** A subscribed feed's health, as operators see it. */
export type FeedStatus = FeedStatusRow;

/** What a subscription with some filters would get from a feed right now. */
export interface FeedPreview {
  feed: ParsedFeed;
  /** the feed's items that pass the filters, in the feed's order */
  passing: ParsedItem[];
  /**
   * how many items each filter dropped; filters are checked `min:`, `include:`, `exclude:` and
   * an item is counted under the first that drops it, so passing + the three = all items
   */
  dropped: { include: number; exclude: number; min: number };
}

/** Fetches a feed and applies a subscription's filters to it; stores nothing. */
export async function previewFeed(
  fetcher: FeedFetcher,
  feedUrl: string,
  filters: SubscriptionFilters,
): Promise<FeedPreview> {
  const fetched = await fetchFeedOrThrow(fetcher, feedUrl, null);
  const passing: ParsedItem[] = [];
  const dropped = { include: 0, exclude: 0, min: 0 };
  for (const item of fetched.feed.items) {
    const verdict = droppingFilter(item, filters);
    if (verdict === null) passing.push(item);
    else dropped[verdict.filter]++;
  }
  return { feed: fetched.feed, passing, dropped };
}

/**
 * Polling feeds and previewing them: the feed use cases, as the composition root builds them.
 * Every poll's outcome is counted in `metrics`, whoever asked for it.
 */
export function createFeedService(
  deps: PollDeps,
  metrics: Metrics,
  options: { realtimePollSeconds: number; pollConcurrency?: PollConcurrency } = {
    realtimePollSeconds: 120,
  },
) {
  const counted =
    (onOutcome?: OnPollOutcome): OnPollOutcome =>
    (outcome) => {
      metrics.feedPolled(outcome.result);
      if (outcome.newArticles > 0) metrics.articlesStored(outcome.newArticles);
      onOutcome?.(outcome);
    };
  const status = () => listFeedStatus(deps.db);
  const concurrency = options.pollConcurrency ?? POLL_CONCURRENCY;
  return {
    /**
     * one pass over the feeds that are due (and, with `dueSince`, not attempted since);
     * `onOutcome` hears each feed as it finishes
     */
    pollDue: (options: { dueSince?: Date | null; onOutcome?: OnPollOutcome } = {}) =>
      pollDueFeeds(deps, options.dueSince ?? null, concurrency, counted(options.onOutcome)),
    /** one pass over the feeds of realtime subscriptions due for their short interval */
    pollRealtimeDue: (options_: { onOutcome?: OnPollOutcome } = {}) =>
      pollDueRealtimeFeeds(
        deps,
        options.realtimePollSeconds * 1000,
        concurrency,
        counted(options_.onOutcome),
      ),
    /** fetches a channel's feeds now, whatever their back-off */
    pollChannel: (channelId: string) => pollChannelFeeds(deps, channelId, concurrency, counted()),
    /** every subscribed feed's failures and next attempt */
    status,
    /** how many feeds fail, and how many for a day or more (the metrics' gauges) */
    async healthSummary(): Promise<FeedHealthSummary> {
      const now = deps.clock().getTime();
      const failing = (await status()).filter((feed) => feed.failing_since !== null);
      return {
        failing: failing.length,
        failingForADay: failing.filter(
          (feed) => now - Date.parse(feed.failing_since as string) >= OUTAGE_NOTICE_AFTER_MS,
        ).length,
      };
    },
    /** fetches a feed and applies filters to it; stores nothing */
    preview: (feedUrl: string, filters: SubscriptionFilters) =>
      previewFeed(deps.fetcher, feedUrl, filters),
  };
}

/** The feed use cases. */
export type FeedService = ReturnType<typeof createFeedService>;

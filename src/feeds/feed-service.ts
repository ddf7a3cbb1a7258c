import { type FeedFetcher, fetchFeedOrThrow } from "./fetch-feed.js";
import { matchesFilters } from "./filters.js";
import { type PollDeps, pollChannelFeeds, pollDueFeeds } from "./poller.js";
import type { ParsedFeed, ParsedItem, SubscriptionFilters } from "./types.js";

/** What a subscription with some filters would get from a feed right now. */
export interface FeedPreview {
  feed: ParsedFeed;
  /** the feed's items that pass the filters, in the feed's order */
  passing: ParsedItem[];
}

/** Fetches a feed and applies a subscription's filters to it; stores nothing. */
export async function previewFeed(
  fetcher: FeedFetcher,
  feedUrl: string,
  filters: SubscriptionFilters,
): Promise<FeedPreview> {
  const fetched = await fetchFeedOrThrow(fetcher, feedUrl, null);
  return {
    feed: fetched.feed,
    passing: fetched.feed.items.filter((item) => matchesFilters(item, filters)),
  };
}

/** Polling feeds and previewing them: the feed use cases, as the composition root builds them. */
export function createFeedService(deps: PollDeps) {
  return {
    /** one pass over the feeds that are due (and, with `dueSince`, not attempted since) */
    pollDue: (dueSince: Date | null = null) => pollDueFeeds(deps, dueSince),
    /** fetches a channel's feeds now, whatever their back-off */
    pollChannel: (channelId: string) => pollChannelFeeds(deps, channelId),
    /** fetches a feed and applies filters to it; stores nothing */
    preview: (feedUrl: string, filters: SubscriptionFilters) =>
      previewFeed(deps.fetcher, feedUrl, filters),
  };
}

/** The feed use cases. */
export type FeedService = ReturnType<typeof createFeedService>;

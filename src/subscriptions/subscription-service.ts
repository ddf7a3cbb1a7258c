import { ensureDefaultSchedule, getChannelSchedule } from "../digest/channel-schedule.js";
import { AppError } from "../errors.js";
import { canonicalizeUrl, displayUrl } from "../feeds/canonical-url.js";
import { type FeedFetcher, fetchFeedOrThrow } from "../feeds/fetch-feed.js";
import { matchesFilters } from "../feeds/filters.js";
import type { OpmlFeed } from "../feeds/opml.js";
import type { StoredFetchListener } from "../feeds/poller.js";
import { type Db, inTransaction } from "../store/database.js";
import { listSubscribedFeeds, storeFetchedFeed } from "../store/feeds.js";
import {
  deleteSubscription,
  findChannelSubscription,
  findSubscription,
  listChannelSubscriptions,
  upsertSubscription,
} from "../store/subscriptions.js";
import type { ChannelSubscriptions, SubscribeInput, SubscribeOutcome } from "./types.js";

/** What subscribing needs: storage, time, a fetcher and the default zone of new schedules. */
export interface SubscriptionDeps {
  db: Db;
  clock: () => Date;
  fetcher: FeedFetcher;
  defaultTimeZone: string;
  /** hears the fetch subscribing stores (other channels' realtime posts of what it found new) */
  onStored?: StoredFetchListener;
}

/**
 * Channels and the feeds they read: subscribing joins a feed (fetched and stored), a
 * channel's subscription with its filters, and the channel's first digest schedule.
 */
export function createSubscriptionService(deps: SubscriptionDeps) {
  const { db } = deps;
  return {
    /**
     * Subscribes a channel to a feed: fetches and parses it first (a feed that cannot be read
     * is refused and nothing is stored), then stores the feed, its articles, the subscription
     * and, for a channel's first subscription, its default digest schedule, in one
     * transaction. Subscribing again to the same feed updates the filters.
     */
    async subscribe(input: SubscribeInput): Promise<SubscribeOutcome> {
      const feedUrl = canonicalizeUrl(input.feedUrl);
      if (!feedUrl) throw new AppError("fetch.invalid-url", { url: displayUrl(input.feedUrl) });
      const fetched = await fetchFeedOrThrow(deps.fetcher, feedUrl, null);
      const now = deps.clock();
      return inTransaction(db, async (trx) => {
        const stored = await storeFetchedFeed(
          trx,
          feedUrl,
          fetched.feed,
          fetched.validators,
          now.toISOString(),
          fetched.bodyHash,
        );
        // Before the subscription changes: what is new now goes to the feed's other realtime
        // subscriptions; this one starts from what comes next.
        await deps.onStored?.record(trx, stored);
        const existing = await findSubscription(trx, input.channelId, stored.feedId);
        const delivery = input.delivery ?? { mode: "digest", mention: null };
        const backToDigest = existing?.mode === "realtime" && delivery.mode === "digest";
        const subscriptionId = await upsertSubscription(
          trx,
          {
            channelId: input.channelId,
            feedId: stored.feedId,
            createdBy: input.userId,
            filters: input.filters,
            delivery,
            digestSince: backToDigest ? now.toISOString() : null,
          },
          now.toISOString(),
        );
        const scheduleCreated = await ensureDefaultSchedule(
          trx,
          input.channelId,
          deps.defaultTimeZone,
          now,
        );
        const items = fetched.feed.items;
        return {
          subscriptionId,
          feedTitle: fetched.feed.title,
          feedUrl: displayUrl(feedUrl),
          articleCount: items.length,
          matchingCount: items.filter((item) => matchesFilters(item, input.filters)).length,
          updated: existing !== null,
          delivery,
          previous: existing ? { mode: existing.mode, mention: existing.mention } : null,
          scheduleCreated,
        };
      });
    },

    /** Removes one of a channel's subscriptions, by id or feed URL; refuses what is not there. */
    async unsubscribe(
      channelId: string,
      target: { kind: "id"; id: number } | { kind: "url"; url: string },
    ): Promise<{ feedTitle: string; feedUrl: string }> {
      const found = await findChannelSubscription(
        db,
        channelId,
        target.kind === "id"
          ? { id: target.id }
          : { feedUrl: canonicalizeUrl(target.url) ?? target.url },
      );
      if (!found) {
        throw new AppError("subscription.not-found", {
          target: target.kind === "id" ? `#${target.id}` : displayUrl(target.url),
        });
      }
      await deleteSubscription(db, found.id);
      return { feedTitle: found.feedTitle, feedUrl: displayUrl(found.feedUrl) };
    },

    /** A channel's subscriptions with their feeds' health, and why its last digest failed. */
    async list(channelId: string): Promise<ChannelSubscriptions> {
      const [subscriptions, schedule] = await Promise.all([
        listChannelSubscriptions(db, channelId),
        getChannelSchedule(db, channelId),
      ]);
      const code = schedule?.lastErrorCode ?? null;
      return {
        subscriptions: subscriptions.map((view) => ({
          ...view,
          feedUrl: displayUrl(view.feedUrl),
        })),
        digestError: code === null ? null : { code, kind: schedule?.lastErrorKind ?? "permanent" },
      };
    },

    /** The subscribed feeds (of every channel, or of one), oldest first, as OPML lists them. */
    async feedsToExport(channelId: string | null): Promise<OpmlFeed[]> {
      const feeds = await listSubscribedFeeds(db, channelId);
      return feeds.map((feed) => ({
        title: feed.title,
        // The export is for people and other readers: credentials stay in opsfeed.
        feedUrl: displayUrl(feed.url),
        siteUrl: feed.site_url,
      }));
    },
  };
}

/** The subscription use cases, as the composition root builds them. */
export type SubscriptionService = ReturnType<typeof createSubscriptionService>;

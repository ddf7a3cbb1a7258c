import type { Subscription } from "../../db/schema.js";
import { type ChannelSchedule, ensureDefaultSchedule } from "../digest/channel-schedule.js";
import { AppError } from "../errors.js";
import type { Db } from "../store/database.js";
import { canonicalizeUrl } from "./canonical-url.js";
import { writeFetchedFeed } from "./feed-store.js";
import { type FeedFetcher, fetchFeedOrThrow } from "./fetch-feed.js";
import { matchesFilters, type SubscriptionFilters } from "./filters.js";

/** What the domain needs to subscribe: storage, time, a fetcher and the default zone. */
export interface SubscribeDeps {
  db: Db;
  clock: () => Date;
  fetcher: FeedFetcher;
  defaultTimeZone: string;
}

/** A subscription request from a channel. */
export interface SubscribeInput {
  channelId: string;
  userId: string;
  feedUrl: string;
  filters: SubscriptionFilters;
}

/** What subscribing did, for the reply. */
export interface SubscribeOutcome {
  subscriptionId: number;
  feedTitle: string;
  feedUrl: string;
  /** articles the feed holds now */
  articleCount: number;
  /** of those, how many pass this subscription's filters */
  matchingCount: number;
  /** true when the channel was already subscribed and only its filters changed */
  updated: boolean;
  /** the schedule set because this was the channel's first subscription, else null */
  scheduleCreated: ChannelSchedule | null;
}

/** A subscription as `list` shows it. */
export interface SubscriptionView {
  id: number;
  feedTitle: string;
  feedUrl: string;
  filters: SubscriptionFilters;
  lastSuccessAt: string | null;
  lastErrorCode: string | null;
  lastErrorParams: Record<string, string | number>;
  consecutiveFailures: number;
}

/** Reads a subscription's stored filters. */
export function filtersOf(
  row: Pick<Subscription, "include_words" | "exclude_words" | "min_bookmarks">,
): SubscriptionFilters {
  return {
    include: JSON.parse(row.include_words) as string[],
    exclude: JSON.parse(row.exclude_words) as string[],
    minBookmarks: row.min_bookmarks,
  };
}

/**
 * Subscribes a channel to a feed: fetches and parses it first (a feed that cannot be read is
 * refused and nothing is stored), then stores the feed, its articles, the subscription and,
 * for a channel's first subscription, its default digest schedule, in one transaction.
 * Subscribing again to the same feed updates the filters.
 */
export async function subscribeChannel(
  deps: SubscribeDeps,
  input: SubscribeInput,
): Promise<SubscribeOutcome> {
  const feedUrl = canonicalizeUrl(input.feedUrl);
  if (!feedUrl) throw new AppError("fetch.invalid-url", { url: input.feedUrl });
  const fetched = await fetchFeedOrThrow(deps.fetcher, feedUrl, null);
  const now = deps.clock().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const stored = await writeFetchedFeed(trx, feedUrl, fetched.feed, fetched.validators, now);
    const existing = await trx
      .selectFrom("subscriptions")
      .select("id")
      .where("channel_id", "=", input.channelId)
      .where("feed_id", "=", stored.feedId)
      .executeTakeFirst();
    const filterColumns = {
      include_words: JSON.stringify(input.filters.include),
      exclude_words: JSON.stringify(input.filters.exclude),
      min_bookmarks: input.filters.minBookmarks,
      updated_at: now,
    };
    const subscription = await trx
      .insertInto("subscriptions")
      .values({
        channel_id: input.channelId,
        feed_id: stored.feedId,
        created_by: input.userId,
        created_at: now,
        ...filterColumns,
      })
      .onConflict((oc) => oc.columns(["channel_id", "feed_id"]).doUpdateSet(filterColumns))
      .returning("id")
      .executeTakeFirstOrThrow();
    const scheduleCreated = await ensureDefaultSchedule(
      trx,
      input.channelId,
      deps.defaultTimeZone,
      deps.clock(),
    );
    const items = fetched.feed.items;
    return {
      subscriptionId: subscription.id,
      feedTitle: fetched.feed.title,
      feedUrl,
      articleCount: items.length,
      matchingCount: items.filter((item) => matchesFilters(item, input.filters)).length,
      updated: existing !== undefined,
      scheduleCreated,
    };
  });
}

/** Removes one of a channel's subscriptions, by id or feed URL; refuses what is not there. */
export async function unsubscribeChannel(
  db: Db,
  channelId: string,
  target: { kind: "id"; id: number } | { kind: "url"; url: string },
): Promise<{ feedTitle: string; feedUrl: string }> {
  const feedUrl = target.kind === "url" ? (canonicalizeUrl(target.url) ?? target.url) : null;
  const found = await db
    .selectFrom("subscriptions")
    .innerJoin("feeds", "feeds.id", "subscriptions.feed_id")
    .select(["subscriptions.id", "feeds.title", "feeds.url"])
    .where("subscriptions.channel_id", "=", channelId)
    .$if(target.kind === "id", (qb) =>
      qb.where("subscriptions.id", "=", (target as { id: number }).id),
    )
    .$if(feedUrl !== null, (qb) => qb.where("feeds.url", "=", feedUrl as string))
    .executeTakeFirst();
  if (!found) {
    throw new AppError("subscription.not-found", {
      target: target.kind === "id" ? `#${target.id}` : target.url,
    });
  }
  await db.deleteFrom("subscriptions").where("id", "=", found.id).execute();
  return { feedTitle: found.title, feedUrl: found.url };
}

/** A channel's subscriptions with their feeds' health, oldest first. */
export async function listSubscriptions(db: Db, channelId: string): Promise<SubscriptionView[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .innerJoin("feeds", "feeds.id", "subscriptions.feed_id")
    .select([
      "subscriptions.id",
      "subscriptions.include_words",
      "subscriptions.exclude_words",
      "subscriptions.min_bookmarks",
      "feeds.title",
      "feeds.url",
      "feeds.last_success_at",
      "feeds.last_error_code",
      "feeds.last_error_params",
      "feeds.consecutive_failures",
    ])
    .where("subscriptions.channel_id", "=", channelId)
    .orderBy("subscriptions.id")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    feedTitle: row.title,
    feedUrl: row.url,
    filters: filtersOf(row),
    lastSuccessAt: row.last_success_at,
    lastErrorCode: row.last_error_code,
    lastErrorParams: row.last_error_params ? JSON.parse(row.last_error_params) : {},
    consecutiveFailures: row.consecutive_failures,
  }));
}

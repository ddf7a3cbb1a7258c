import type { Subscription } from "../../db/schema.js";
import type {
  SubscriptionDelivery,
  SubscriptionFilters,
  SubscriptionMode,
} from "../feeds/types.js";
import type { SubscriptionView } from "../subscriptions/types.js";
import type { Db } from "./database.js";

/*
 * Subscriptions: which channel reads which feed, through which filters. Filters are stored
 * as JSON word lists; this module is the only one that knows.
 */

/** A subscription's stored filters, read back. */
export function filtersOf(
  row: Pick<Subscription, "include_words" | "exclude_words" | "min_bookmarks">,
): SubscriptionFilters {
  return {
    include: JSON.parse(row.include_words) as string[],
    exclude: JSON.parse(row.exclude_words) as string[],
    minBookmarks: row.min_bookmarks,
  };
}

/** A stored mode read back ('digest' for anything else). */
export function modeOf(row: Pick<Subscription, "mode">): SubscriptionMode {
  return row.mode === "realtime" ? "realtime" : "digest";
}

/** The id and delivery of a channel's subscription to a feed, if it has one. */
export async function findSubscription(
  db: Db,
  channelId: string,
  feedId: number,
): Promise<({ id: number } & SubscriptionDelivery) | null> {
  const row = await db
    .selectFrom("subscriptions")
    .select(["id", "mode", "mention"])
    .where("channel_id", "=", channelId)
    .where("feed_id", "=", feedId)
    .executeTakeFirst();
  return row ? { id: row.id, mode: modeOf(row), mention: row.mention } : null;
}

/** The id of a channel's subscription to a feed, if it has one. */
export async function findSubscriptionId(
  db: Db,
  channelId: string,
  feedId: number,
): Promise<number | null> {
  return (await findSubscription(db, channelId, feedId))?.id ?? null;
}

/**
 * Subscribes a channel to a feed, or updates the filters and delivery of its existing
 * subscription. A realtime subscription going back to the digest starts from what is new:
 * `digestSince` (now) keeps what its feed carried before out of the next digest.
 */
export async function upsertSubscription(
  db: Db,
  input: {
    channelId: string;
    feedId: number;
    createdBy: string;
    filters: SubscriptionFilters;
    delivery?: SubscriptionDelivery;
    /** set when a realtime subscription goes back to the digest */
    digestSince?: string | null;
  },
  now: string,
): Promise<number> {
  const filterColumns = {
    include_words: JSON.stringify(input.filters.include),
    exclude_words: JSON.stringify(input.filters.exclude),
    min_bookmarks: input.filters.minBookmarks,
    mode: input.delivery?.mode ?? "digest",
    mention: input.delivery?.mention ?? null,
    ...(input.digestSince ? { digest_since: input.digestSince } : {}),
    updated_at: now,
  };
  const row = await db
    .insertInto("subscriptions")
    .values({
      channel_id: input.channelId,
      feed_id: input.feedId,
      created_by: input.createdBy,
      created_at: now,
      ...filterColumns,
    })
    .onConflict((oc) => oc.columns(["channel_id", "feed_id"]).doUpdateSet(filterColumns))
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** One of a channel's subscriptions, by its id or its feed's URL, with the feed's title. */
export async function findChannelSubscription(
  db: Db,
  channelId: string,
  target: { id: number } | { feedUrl: string },
): Promise<{ id: number; feedTitle: string; feedUrl: string } | null> {
  const row = await db
    .selectFrom("subscriptions")
    .innerJoin("feeds", "feeds.id", "subscriptions.feed_id")
    .select(["subscriptions.id", "feeds.title", "feeds.url"])
    .where("subscriptions.channel_id", "=", channelId)
    .$if("id" in target, (qb) => qb.where("subscriptions.id", "=", (target as { id: number }).id))
    .$if("feedUrl" in target, (qb) =>
      qb.where("feeds.url", "=", (target as { feedUrl: string }).feedUrl),
    )
    .executeTakeFirst();
  return row ? { id: row.id, feedTitle: row.title, feedUrl: row.url } : null;
}

/** Removes a subscription. */
export async function deleteSubscription(db: Db, subscriptionId: number): Promise<void> {
  await db.deleteFrom("subscriptions").where("id", "=", subscriptionId).execute();
}

/** A channel's subscriptions with their feeds' health, oldest first. */
export async function listChannelSubscriptions(
  db: Db,
  channelId: string,
): Promise<SubscriptionView[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .innerJoin("feeds", "feeds.id", "subscriptions.feed_id")
    .select([
      "subscriptions.id",
      "subscriptions.include_words",
      "subscriptions.exclude_words",
      "subscriptions.min_bookmarks",
      "subscriptions.mode",
      "subscriptions.mention",
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
    mode: modeOf(row),
    mention: row.mention,
    lastSuccessAt: row.last_success_at,
    lastErrorCode: row.last_error_code,
    lastErrorParams: row.last_error_params ? JSON.parse(row.last_error_params) : {},
    consecutiveFailures: row.consecutive_failures,
  }));
}

/** The channels subscribed to a feed. */
export async function channelsOfFeed(db: Db, feedId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .select("channel_id")
    .where("feed_id", "=", feedId)
    .orderBy("channel_id")
    .execute();
  return rows.map((row) => row.channel_id);
}

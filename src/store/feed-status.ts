import type { Db } from "./database.js";

/** A subscribed feed's health: how long it has failed and when it is fetched next. */
export interface FeedStatusRow {
  id: number;
  url: string;
  title: string;
  consecutive_failures: number;
  failing_since: string | null;
  next_fetch_at: string | null;
  last_error_code: string | null;
}

/** Every feed some channel subscribes to, with its failure count, outage start and back-off. */
export async function listFeedStatus(db: Db): Promise<FeedStatusRow[]> {
  return db
    .selectFrom("feeds")
    .select([
      "id",
      "url",
      "title",
      "consecutive_failures",
      "failing_since",
      "next_fetch_at",
      "last_error_code",
    ])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("subscriptions")
          .select("id")
          .whereRef("subscriptions.feed_id", "=", "feeds.id"),
      ),
    )
    .orderBy("id")
    .execute();
}

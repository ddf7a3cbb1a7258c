import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/**
 * Indexes for the digest path (issue 16):
 * - `feed_articles_feed_seen` on feed_articles(feed_id, first_seen_at, article_id): a
 *   channel's digest reads, per subscription, only what its feed first carried since the last
 *   digest (a range scan), and never the table row, instead of every article the feed ever
 *   carried.
 * - `digests_status_channel` on digests(status, channel_id, id): the unfinished digests
 *   (`status = 'claimed'`, all of them or one channel's) are found in the index, not by
 *   reading every digest ever posted. The partial unique index of 0001 cannot serve a query
 *   whose status is a bound parameter.
 * The same indexes on SQLite and Postgres.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex("feed_articles_feed_seen")
    .on("feed_articles")
    .columns(["feed_id", "first_seen_at", "article_id"])
    .execute();
  await db.schema
    .createIndex("digests_status_channel")
    .on("digests")
    .columns(["status", "channel_id", "id"])
    .execute();
}

/** Drops the digest indexes. */
export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex("digests_status_channel").execute();
  await db.schema.dropIndex("feed_articles_feed_seen").execute();
}

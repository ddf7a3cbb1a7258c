import { type Kysely, sql } from "kysely";
import { autoIncrementId, type SqlDialect } from "./dialect.js";

/*
 * The schema for the whole contract. Portable SQL: ISO text timestamps, 0/1 integers for
 * booleans. The one dialect difference is the auto-increment id, built by `autoIncrementId`
 * (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT, Postgres's identity column).
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/** Creates every table and the unique keys that make writes idempotent. */
export async function up(db: AnyDb, dialect: SqlDialect): Promise<void> {
  const id = autoIncrementId(dialect);
  await db.schema
    .createTable("feeds")
    .$call(id)
    .addColumn("url", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("site_url", "text")
    .addColumn("format", "text")
    .addColumn("etag", "text")
    .addColumn("last_modified", "text")
    .addColumn("last_attempt_at", "text")
    .addColumn("last_success_at", "text")
    .addColumn("last_error_code", "text")
    .addColumn("last_error_params", "text")
    .addColumn("consecutive_failures", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failing_since", "text")
    .addColumn("outage_notified_at", "text")
    .addColumn("next_fetch_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("feeds_next_fetch_at").on("feeds").column("next_fetch_at").execute();

  await db.schema
    .createTable("subscriptions")
    .$call(id)
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("feed_id", "integer", (c) => c.notNull().references("feeds.id").onDelete("cascade"))
    .addColumn("include_words", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("exclude_words", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("min_bookmarks", "integer")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("subscriptions_channel_feed", ["channel_id", "feed_id"])
    .execute();
  await db.schema.createIndex("subscriptions_feed").on("subscriptions").column("feed_id").execute();

  await db.schema
    .createTable("articles")
    .$call(id)
    .addColumn("canonical_url", "text", (c) => c.notNull().unique())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text")
    .addColumn("author", "text")
    .addColumn("published_at", "text")
    .addColumn("first_seen_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("bookmark_count", "integer")
    .addColumn("bookmark_comments_url", "text")
    .addColumn("image_url", "text")
    .execute();

  await db.schema
    .createTable("feed_articles")
    .addColumn("feed_id", "integer", (c) => c.notNull().references("feeds.id").onDelete("cascade"))
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("first_seen_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("feed_articles_pk", ["feed_id", "article_id"])
    .execute();
  await db.schema
    .createIndex("feed_articles_article")
    .on("feed_articles")
    .column("article_id")
    .execute();

  await db.schema
    .createTable("channels")
    .addColumn("channel_id", "text", (c) => c.primaryKey())
    .addColumn("digest_enabled", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("digest_hour", "integer", (c) => c.notNull())
    .addColumn("digest_minute", "integer", (c) => c.notNull())
    .addColumn("digest_days", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("next_digest_at", "text")
    .addColumn("last_digest_at", "text")
    .addColumn("last_error_code", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("channels_next_digest_at")
    .on("channels")
    .column("next_digest_at")
    .execute();

  await db.schema
    .createTable("digests")
    .$call(id)
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("claimed_at", "text", (c) => c.notNull())
    .addColumn("posted_at", "text")
    .addColumn("error_code", "text")
    .addColumn("article_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("overflow_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  // At most one unfinished digest per channel: the claim that makes posting exactly-once.
  await db.schema
    .createIndex("digests_one_claim_per_channel")
    .on("digests")
    .column("channel_id")
    .unique()
    .where(sql.ref("status"), "=", "claimed")
    .execute();

  await db.schema
    .createTable("digest_articles")
    .addColumn("digest_id", "integer", (c) =>
      c.notNull().references("digests.id").onDelete("cascade"),
    )
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("message_index", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("digest_articles_pk", ["digest_id", "article_id"])
    // A channel is shown each article once, ever.
    .addUniqueConstraint("digest_articles_channel_article", ["channel_id", "article_id"])
    .execute();

  await db.schema
    .createTable("digest_messages")
    .addColumn("digest_id", "integer", (c) =>
      c.notNull().references("digests.id").onDelete("cascade"),
    )
    .addColumn("message_index", "integer", (c) => c.notNull())
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("ts", "text")
    .addColumn("posted_at", "text")
    .addPrimaryKeyConstraint("digest_messages_pk", ["digest_id", "message_index"])
    .execute();

  await db.schema
    .createTable("read_later")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("channel_id", "text")
    .addColumn("saved_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("read_later_pk", ["user_id", "article_id"])
    .execute();

  await db.schema
    .createTable("article_reads")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("read_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("article_reads_pk", ["user_id", "article_id"])
    .execute();

  await db.schema
    .createTable("assignments")
    .$call(id)
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("assignee_id", "text", (c) => c.notNull())
    .addColumn("assigner_id", "text", (c) => c.notNull())
    .addColumn("channel_id", "text")
    .addColumn("note", "text")
    .addColumn("due_date", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .addUniqueConstraint("assignments_article_assignee", ["article_id", "assignee_id"])
    .execute();
  await db.schema
    .createIndex("assignments_assigner")
    .on("assignments")
    .columns(["assigner_id", "status"])
    .execute();

  await db.schema
    .createTable("comments")
    .$call(id)
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("channel_id", "text")
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("dedupe_key", "text", (c) => c.unique())
    .execute();
  await db.schema
    .createIndex("comments_article")
    .on("comments")
    .columns(["article_id", "created_at"])
    .execute();
}

/** Drops every table of the initial schema. */
export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    "comments",
    "assignments",
    "article_reads",
    "read_later",
    "digest_messages",
    "digest_articles",
    "digests",
    "channels",
    "feed_articles",
    "articles",
    "subscriptions",
    "feeds",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

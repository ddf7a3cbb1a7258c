import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/**
 * Realtime subscriptions (status and incident feeds):
 * - `subscriptions.mode` ('digest' or 'realtime'), `mention` (`<@U…>` or `<!subteam^S…>`, the
 *   one a realtime post mentions) and `digest_since` (set when a realtime subscription goes
 *   back to the digest: only what its feed carries from then on is new for the digest);
 * - `articles.revision`: bumped whenever a feed changes an article's title or text, so each
 *   change of an incident is posted once in its thread; `feed_articles.content_hash`: what each
 *   feed last said of it, so two feeds wording one article differently are no change;
 * - `feeds.fresh_until`: not fetched again before this time (Cache-Control max-age, RSS ttl,
 *   Retry-After), for the short realtime interval, and `ttl_minutes` (the RSS ttl of the
 *   last full fetch, still true when the feed answers 304);
 * - `realtime_posts`: each article a channel's realtime subscription posted (its outbox
 *   message, the publication time that orders the posts, and the revision the post shows);
 * - `realtime_updates`: each change of such an article posted in the post's thread.
 * Text keys only, so the SQL is the same on SQLite and Postgres.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable("subscriptions")
    .addColumn("mode", "text", (c) => c.notNull().defaultTo("digest"))
    .execute();
  await db.schema.alterTable("subscriptions").addColumn("mention", "text").execute();
  await db.schema.alterTable("subscriptions").addColumn("digest_since", "text").execute();
  await db.schema
    .alterTable("articles")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("feeds").addColumn("fresh_until", "text").execute();
  await db.schema.alterTable("feeds").addColumn("ttl_minutes", "integer").execute();
  await db.schema.alterTable("feed_articles").addColumn("content_hash", "text").execute();

  await db.schema
    .createTable("realtime_posts")
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("subscription_id", "integer", (c) => c.notNull())
    .addColumn("outbox_key", "text", (c) => c.notNull().unique())
    .addColumn("sort_at", "text", (c) => c.notNull())
    .addColumn("shown_revision", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("realtime_posts_pk", ["channel_id", "article_id"])
    .execute();
  await db.schema
    .createIndex("realtime_posts_article")
    .on("realtime_posts")
    .column("article_id")
    .execute();

  await db.schema
    .createTable("realtime_updates")
    .addColumn("outbox_key", "text", (c) => c.primaryKey())
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("realtime_updates_revision", ["channel_id", "article_id", "revision"])
    .execute();
}

/** Drops the realtime tables and columns. */
export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("realtime_updates").execute();
  await db.schema.dropTable("realtime_posts").execute();
  await db.schema.alterTable("feed_articles").dropColumn("content_hash").execute();
  await db.schema.alterTable("feeds").dropColumn("ttl_minutes").execute();
  await db.schema.alterTable("feeds").dropColumn("fresh_until").execute();
  await db.schema.alterTable("articles").dropColumn("revision").execute();
  for (const column of ["digest_since", "mention", "mode"]) {
    await db.schema.alterTable("subscriptions").dropColumn(column).execute();
  }
}

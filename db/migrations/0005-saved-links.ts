import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/**
 * Saving links with a reaction, and taking them out again when the reaction is removed:
 * - `link_reactions`: the latest state of one user's save reaction on one message ('added' or
 *   'removed') with the event_ts that set it, so events arriving late or out of order (a
 *   removal processed while the addition was still fetching pages) cannot undo a newer one;
 * - `link_reaction_articles`: which articles that reaction put in the user's queue (not those
 *   that were there already), so removing it takes out exactly those.
 * Text keys only, so the SQL is the same on SQLite and Postgres.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("link_reactions")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("message_ts", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("event_ts", "text", (c) => c.notNull())
    .addColumn("thread_ts", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("link_reactions_pk", ["user_id", "channel_id", "message_ts"])
    .execute();

  await db.schema
    .createTable("link_reaction_articles")
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("message_ts", "text", (c) => c.notNull())
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("saved_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("link_reaction_articles_pk", [
      "user_id",
      "channel_id",
      "message_ts",
      "article_id",
    ])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("link_reaction_articles").execute();
  await db.schema.dropTable("link_reactions").execute();
}

import { type Kysely, sql } from "kysely";
import { autoIncrementId, type SqlDialect } from "./dialect.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/**
 * Channel boundaries:
 * - `article_channels`: which channel an article reached, and how (a digest, a comment made
 *   there, a saved link of a message there). Who may see an article follows from it. Filled
 *   from the digests and comments the database already records (a save or an assignment
 *   typed in a channel was only ever shown to its user, so it is not a reach).
 * - `assignment_changes`: who did what to an assignment, when (assigned, updated, done,
 *   cancelled), so every change is attributable.
 */
export async function up(db: AnyDb, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable("article_channels")
    .addColumn("channel_id", "text", (c) => c.notNull())
    .addColumn("article_id", "integer", (c) =>
      c.notNull().references("articles.id").onDelete("cascade"),
    )
    .addColumn("via", "text", (c) => c.notNull())
    .addColumn("first_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("article_channels_pk", ["channel_id", "article_id"])
    .execute();
  await db.schema
    .createIndex("article_channels_article")
    .on("article_channels")
    .column("article_id")
    .execute();
  // `where true` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
  const backfill = [
    sql`insert into article_channels (channel_id, article_id, via, first_at)
        select distinct channel_id, article_id, 'digest', '1970-01-01T00:00:00.000Z'
        from digest_articles where true
        on conflict do nothing`,
    sql`insert into article_channels (channel_id, article_id, via, first_at)
        select channel_id, article_id, 'comment', min(created_at)
        from comments where channel_id is not null group by channel_id, article_id
        on conflict do nothing`,
  ];
  for (const statement of backfill) await statement.execute(db);

  await db.schema
    .createTable("assignment_changes")
    .$call(autoIncrementId(dialect))
    .addColumn("assignment_id", "integer", (c) =>
      c.notNull().references("assignments.id").onDelete("cascade"),
    )
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("assignment_changes_assignment")
    .on("assignment_changes")
    .column("assignment_id")
    .execute();
}

/** Drops the boundary tables. */
export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable("assignment_changes").execute();
  await db.schema.dropTable("article_channels").execute();
}

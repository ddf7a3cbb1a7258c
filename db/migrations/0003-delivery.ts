import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/**
 * Exactly-once delivery across processes:
 * - `outbox`: every message opsfeed posts on its own, recorded under an idempotency key before
 *   it is sent, with what became of it. Digest parts move here from `digest_messages`, which
 *   keeps only which digest part is which outbox message.
 * - `leases`: who is doing a piece of work (posting a channel's digest, polling a feed,
 *   sending a message), until when.
 * - `request_claims`: Slack requests already acted on, so a replayed request acts once.
 * - `channels.last_error_kind`: whether the error that stopped the last digest was permanent
 *   or the digest was parked after repeated failures.
 * - `digest_messages.activity_version` / `shown_version`: team activity changes not yet shown
 *   in the posted message, so edits are coalesced across processes.
 * Text keys instead of auto-increment ids keep the SQL identical on SQLite and Postgres.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable("outbox")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("channel_id", "text")
    .addColumn("user_id", "text")
    .addColumn("thread_ts", "text")
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("ts", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("uncertain", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("next_attempt_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema
    .createIndex("outbox_pending")
    .on("outbox")
    .columns(["status", "next_attempt_at"])
    .execute();

  await db.schema
    .createTable("leases")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("owner", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("request_claims")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema.alterTable("channels").addColumn("last_error_kind", "text").execute();

  await db.schema.alterTable("digest_messages").addColumn("outbox_key", "text").execute();
  await db.schema
    .alterTable("digest_messages")
    .addColumn("activity_version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("digest_messages")
    .addColumn("shown_version", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  // Existing digest parts become outbox messages under the key new parts get.
  const key = sql`'digest:' || digest_id || ':' || (message_index + 1)`;
  await sql`
    insert into outbox (key, kind, channel_id, payload, status, ts, created_at, sent_at)
    select ${key}, 'digest', channel_id, coalesce(payload, '{}'),
           case when ts is null then 'pending' else 'sent' end,
           ts, coalesce(posted_at, '1970-01-01T00:00:00.000Z'), posted_at
    from digest_messages
  `.execute(db);
  await sql`update digest_messages set outbox_key = ${key}`.execute(db);
  for (const column of ["ts", "posted_at", "payload"]) {
    await db.schema.alterTable("digest_messages").dropColumn(column).execute();
  }
}

/** Moves digest parts back into `digest_messages` and drops the delivery tables. */
export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("digest_messages").addColumn("ts", "text").execute();
  await db.schema.alterTable("digest_messages").addColumn("posted_at", "text").execute();
  await db.schema.alterTable("digest_messages").addColumn("payload", "text").execute();
  await sql`
    update digest_messages set
      ts = (select ts from outbox where outbox.key = digest_messages.outbox_key),
      posted_at = (select sent_at from outbox where outbox.key = digest_messages.outbox_key),
      payload = (select payload from outbox where outbox.key = digest_messages.outbox_key)
  `.execute(db);
  for (const column of ["outbox_key", "activity_version", "shown_version"]) {
    await db.schema.alterTable("digest_messages").dropColumn(column).execute();
  }
  await db.schema.alterTable("channels").dropColumn("last_error_kind").execute();
  await db.schema.dropTable("request_claims").execute();
  await db.schema.dropTable("leases").execute();
  await db.schema.dropTable("outbox").execute();
}

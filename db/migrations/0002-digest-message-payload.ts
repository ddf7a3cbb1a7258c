import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/**
 * Keeps each digest part's rendered message (JSON) from the moment the digest is claimed, so
 * a digest resumed after a crash posts exactly what was claimed, split the same way.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("digest_messages").addColumn("payload", "text").execute();
}

/** Drops the payload column. */
export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("digest_messages").dropColumn("payload").execute();
}

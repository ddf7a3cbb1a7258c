import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/**
 * `feeds.body_hash`: a hash of the body a feed's last full fetch parsed (with the URL it came
 * from, its content type and opsfeed's version). A feed served again byte for byte under new
 * validators (many servers change the ETag on every request) is then neither parsed nor
 * stored again; null until the next full fetch.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable("feeds").addColumn("body_hash", "text").execute();
}

/** Drops the column. */
export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable("feeds").dropColumn("body_hash").execute();
}

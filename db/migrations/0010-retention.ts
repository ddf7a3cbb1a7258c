import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not import app types.
type AnyDb = Kysely<any>;

/**
 * The tables referring to an article whose keys do not start with `article_id`: deleting an
 * article (the retention prune) cascades into each of them, and without these indexes every
 * cascade reads the whole table (97 ms for one article on a million rows). The others
 * (feed_articles, article_channels, assignments, comments, realtime_posts, search_documents)
 * already have one; reminders and assignment_changes refer to assignments, not articles.
 */
const INDEXES: Array<{ name: string; table: string; columns: string[] }> = [
  { name: "read_later_article", table: "read_later", columns: ["article_id"] },
  { name: "article_reads_article", table: "article_reads", columns: ["article_id"] },
  { name: "digest_articles_article", table: "digest_articles", columns: ["article_id"] },
  {
    name: "link_reaction_articles_article",
    table: "link_reaction_articles",
    columns: ["article_id"],
  },
  { name: "realtime_updates_article", table: "realtime_updates", columns: ["article_id"] },
];

/** Adds an index starting with article_id to every table that refers to articles without one. */
export async function up(db: AnyDb): Promise<void> {
  for (const index of INDEXES) {
    await db.schema.createIndex(index.name).on(index.table).columns(index.columns).execute();
  }
  // The sent messages whose payload the prune has not cleared yet, by age: the prune reads
  // only those, not every message it cleared before.
  await db.schema
    .createIndex("outbox_sent_payload")
    .on("outbox")
    .column("sent_at")
    .where(sql<boolean>`status = 'sent' and payload <> ''`)
    .execute();
}

/** Drops the indexes. */
export async function down(db: AnyDb): Promise<void> {
  for (const name of ["outbox_sent_payload", ...INDEXES.map((i) => i.name)]) {
    await db.schema.dropIndex(name).execute();
  }
}

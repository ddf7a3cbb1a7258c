import { sql } from "kysely";
import { type Db, dialectOf, inTransaction } from "./database.js";
import { LISTED_REFRESH_MS } from "./feeds.js";

/*
 * The retention prune's SQL (OPSFEED_RETENTION_DAYS): clearing old sent messages' payloads and
 * deleting old articles nothing refers to. Every statement touches one bounded batch, so the
 * prune never holds the database (and, on SQLite, the event loop) for long.
 */

/** What a cleared payload holds: the message was sent long ago and cannot be re-rendered. */
export const CLEARED_PAYLOAD = "";

/** Articles looked at per scan step (a range of ids read through the primary key). */
const SCAN_WINDOW = 2_000;

/** Feeds whose newest link is read per statement. */
const LATEST_CHUNK = 10;

/**
 * Clears the payloads of up to `limit` messages sent before `before`; returns how many. Their
 * rows stay (key, ts, status): idempotency, `why` and the thread replies still need them.
 */
export async function clearSentPayloads(db: Db, before: string, limit: number): Promise<number> {
  // The literal `status = 'sent' and payload <> ''` lets both databases use the partial index
  // outbox_sent_payload (a bound parameter would not prove the index's condition).
  const rows = await db
    .selectFrom("outbox")
    .select("key")
    .where(sql<boolean>`status = 'sent' and payload <> ''`)
    .where("sent_at", "<", before)
    .limit(limit)
    .execute();
  if (rows.length === 0) return 0;
  const result = await db
    .updateTable("outbox")
    .set({ payload: CLEARED_PAYLOAD })
    .where(
      "key",
      "in",
      rows.map((row) => row.key),
    )
    .where("status", "=", "sent")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The article ids of one step of a prune scan; `done` once no older article is left. */
export interface PruneScanStep {
  articleIds: number[];
  done: boolean;
}

/** Walks the articles oldest first, a window at a time, yielding those the prune may delete. */
export interface ArticlePruneScan {
  next(): Promise<PruneScanStep>;
}

/**
 * A scan for articles first seen and last listed by a feed before `before` that nothing keeps:
 * no queue, comment, assignment (so no reminder), saved link, realtime post or update, digest
 * being posted, and no feed whose latest fetch may still list it. A feed's fetch sets the
 * `updated_at` of every article it lists (unless it did within LISTED_REFRESH_MS); a feed that
 * has stored an article first seen more than that after this one's `updated_at` fetched
 * without it since, so deleting it cannot make it new again.
 * A feed that never adds anything after it (one answering 304 for ever) keeps it.
 */
export function articlePruneScan(db: Db, before: string): ArticlePruneScan {
  let after = 0;
  // The newest first_seen_at of each feed, read once per scan.
  const latestOfFeed = new Map<number, string>();

  const latestOf = async (feedIds: number[]) => {
    const missing = feedIds.filter((id) => !latestOfFeed.has(id));
    // A few feeds per statement: without an index on (feed_id, first_seen_at) each feed's rows
    // are read, and one statement over every feed held SQLite for 80 ms on 210,000 links.
    for (let start = 0; start < missing.length; start += LATEST_CHUNK) {
      const chunk = missing.slice(start, start + LATEST_CHUNK);
      const rows = await db
        .selectFrom("feed_articles")
        .select(["feed_id", (eb) => eb.fn.max("first_seen_at").as("latest")])
        .where("feed_id", "in", chunk)
        .groupBy("feed_id")
        .execute();
      for (const row of rows) latestOfFeed.set(row.feed_id, row.latest);
      // Awaiting better-sqlite3 does not yield to timers or I/O; this does, between statements.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };

  return {
    async next() {
      const window = await db
        .selectFrom("articles")
        .select(["id", "first_seen_at"])
        .where("id", ">", after)
        .orderBy("id")
        .limit(SCAN_WINDOW)
        .execute();
      // Ids grow with first_seen_at: past the first article seen since `before`, all are newer.
      const old = window.filter((row) => row.first_seen_at < before);
      const done = window.length < SCAN_WINDOW || old.length < window.length;
      const last = old.at(-1);
      if (!last) return { articleIds: [], done: true };
      const from = after;
      after = last.id;
      const candidates = await unreferenced(db, before)
        .where("a.id", ">", from)
        .where("a.id", "<=", last.id)
        .select(["a.id", "a.updated_at"])
        .execute();
      if (candidates.length === 0) return { articleIds: [], done };
      const links = await db
        .selectFrom("feed_articles")
        .select(["article_id", "feed_id"])
        .where(
          "article_id",
          "in",
          candidates.map((row) => row.id),
        )
        .execute();
      await latestOf([...new Set(links.map((link) => link.feed_id))]);
      // A fetch that lists an article marked within LISTED_REFRESH_MS leaves `updated_at` as
      // it was: a feed's latest article up to that long after it may come from a fetch that
      // still listed it.
      const listedUntil = new Map(
        candidates.map((row) => [
          row.id,
          new Date(Date.parse(row.updated_at) + LISTED_REFRESH_MS).toISOString(),
        ]),
      );
      const kept = new Set<number>();
      for (const link of links) {
        const latest = latestOfFeed.get(link.feed_id);
        const listed = listedUntil.get(link.article_id) ?? "";
        if (latest === undefined || latest <= listed) kept.add(link.article_id);
      }
      return { articleIds: candidates.map((row) => row.id).filter((id) => !kept.has(id)), done };
    },
  };
}

/** Articles first seen and last listed before `before` that no user's or channel's data keeps. */
function unreferenced(db: Db, before: string) {
  return db
    .selectFrom("articles as a")
    .where("a.first_seen_at", "<", before)
    .where("a.updated_at", "<", before)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("read_later")
            .select(sql.lit(1).as("one"))
            .whereRef("read_later.article_id", "=", "a.id")
            .unionAll(
              selectFrom("comments")
                .select(sql.lit(1).as("one"))
                .whereRef("comments.article_id", "=", "a.id"),
            )
            .unionAll(
              selectFrom("assignments")
                .select(sql.lit(1).as("one"))
                .whereRef("assignments.article_id", "=", "a.id"),
            )
            .unionAll(
              selectFrom("link_reaction_articles")
                .select(sql.lit(1).as("one"))
                .whereRef("link_reaction_articles.article_id", "=", "a.id"),
            )
            .unionAll(
              selectFrom("realtime_posts")
                .select(sql.lit(1).as("one"))
                .whereRef("realtime_posts.article_id", "=", "a.id"),
            )
            .unionAll(
              selectFrom("realtime_updates")
                .select(sql.lit(1).as("one"))
                .whereRef("realtime_updates.article_id", "=", "a.id"),
            )
            .unionAll(
              selectFrom("digest_articles as da")
                .innerJoin("digests as d", "d.id", "da.digest_id")
                .select(sql.lit(1).as("one"))
                .whereRef("da.article_id", "=", "a.id")
                .where("d.status", "=", "claimed"),
            ),
        ),
      ),
    );
}

/**
 * Deletes these articles with the rows that only describe them (feed links, digest lines,
 * reads, reach, search documents and, by trigger, their full-text rows) in one transaction,
 * after checking again that nothing came to keep them; returns how many were deleted.
 */
export async function deleteArticles(
  db: Db,
  articleIds: number[],
  before: string,
): Promise<number> {
  if (articleIds.length === 0) return 0;
  return inTransaction(db, async (trx) => {
    // Dialect difference: on Postgres the rows are locked first, so a save or comment made
    // meanwhile waits and then fails on the missing article instead of vanishing with it;
    // SQLite's write transaction (begin immediate) already excludes every other writer.
    if (dialectOf(trx) === "postgres") {
      await trx
        .selectFrom("articles")
        .select("id")
        .where("id", "in", articleIds)
        .forUpdate()
        .execute();
    }
    const still = await unreferenced(trx, before)
      .where("a.id", "in", articleIds)
      .select("a.id")
      .execute();
    const ids = still.map((row) => row.id);
    if (ids.length === 0) return 0;
    // search_documents first and by statement: its delete trigger clears the FTS5 rows.
    await trx.deleteFrom("search_documents").where("article_id", "in", ids).execute();
    for (const table of [
      "feed_articles",
      "digest_articles",
      "article_reads",
      "article_channels",
    ] as const) {
      await trx.deleteFrom(table).where("article_id", "in", ids).execute();
    }
    const deleted = await trx.deleteFrom("articles").where("id", "in", ids).executeTakeFirst();
    return Number(deleted.numDeletedRows);
  });
}

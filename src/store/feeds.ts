import { hash } from "node:crypto";
import { sql } from "kysely";
import type { Feed } from "../../db/schema.js";
import type { ParsedFeed, ParsedItem, Validators } from "../feeds/types.js";
import { type Db, inTransaction } from "./database.js";
import { nullShape, reusableQuery, reusableRowsQuery } from "./reusable-query.js";
import { reindexArticles } from "./search.js";

/*
 * Feeds and the articles they carry: one feed row per subscribed URL, one article per
 * canonical URL, and which feed carried which article since when.
 */

/** What storing a fetched feed changed. */
export interface StoredFetch {
  feedId: number;
  /** articles this feed carried for the first time */
  newArticleIds: number[];
  /** articles opsfeed already had whose Hatena bookmark count this fetch changed */
  recountedArticleIds?: number[];
  /** articles already known whose title or text this fetch changed (each bumped a revision) */
  changedArticles: ArticleChange[];
  /** the feed had an outage the channels were told about (then), and now works again */
  endedOutageNotifiedAt: string | null;
}

/** An article a feed changed: what it said before the change. */
export interface ArticleChange {
  articleId: number;
  previousTitle: string;
  previousSummary: string | null;
}

/**
 * What a feed says about an article (its title and text), as a short hash: kept per feed, so an
 * article two feeds word differently is not taken for changed each time the other is polled.
 */
function contentHash(title: string, summary: string | null): string {
  return hash("sha256", `${title}\n${summary ?? ""}`, "base64url").slice(0, 22);
}

/**
 * How many items are looked up and written per statement, and stored between two turns of the
 * event loop: 100 take a few ms (500 took 19 ms at the median and up to 100 ms, holding acks
 * back that long), and 100 rows of 11 columns stay far under both databases' parameter limits.
 */
const STORE_CHUNK = 100;

/** Lets the event loop answer what is waiting (an ack, a health check) before going on. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The items with their first occurrence per canonical URL (a multi-row upsert takes a key once). */
function distinctItems(items: ParsedItem[]): ParsedItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.canonicalUrl) && seen.add(item.canonicalUrl));
}

/**
 * How old an article's `updated_at` (when a feed last listed it) may be before a fetch that
 * lists it again, saying nothing new, writes it again. Most polls of a feed re-list the same
 * items minutes apart: rewriting all of them each time was most of an unchanged feed's store.
 * Retention, which reads `updated_at`, allows for it (`articlePruneScan`).
 */
export const LISTED_REFRESH_MS = 60 * 60 * 1000;

/** What opsfeed had of an article before a fetch, and what this feed said of it last time. */
interface KnownArticle {
  id: number;
  /** when a feed last listed it (`updated_at`) */
  listedAt: string;
  title: string;
  summary: string | null;
  bookmarkCount: number | null;
  bookmarkCommentsUrl: string | null;
  imageUrl: string | null;
  publishedAt: string | null;
  hash: string | null;
  /** this feed carried it before */
  linked: boolean;
}

/** What storing one chunk of a feed's items changed. */
interface StoredChunk {
  newArticleIds: number[];
  recountedArticleIds: number[];
  changedArticles: ArticleChange[];
  reindexedArticleIds: number[];
  /** the title and summary the chunk's upsert left on the articles it wrote */
  texts: Map<number, { title: string; summary: string | null }>;
}

/**
 * Stores up to STORE_CHUNK items of one feed with a statement per kind of write, not per item:
 * one lookup, one upsert of the articles that are new or say something new, one insert of the
 * feed's new links and one of its changed hashes. An item this feed already carried, saying
 * exactly what it said last time, only has its `updated_at` moved on, in one statement.
 */
async function storeItemChunk(
  trx: Db,
  feedId: number,
  items: ParsedItem[],
  now: string,
): Promise<StoredChunk> {
  const known = await lookUpKnownArticles(
    trx,
    feedId,
    items.map((item) => item.canonicalUrl),
  );
  const result: StoredChunk = {
    newArticleIds: [],
    recountedArticleIds: [],
    changedArticles: [],
    reindexedArticleIds: [],
    texts: new Map(),
  };
  const plain: ParsedItem[] = [];
  const revised: ParsedItem[] = [];
  const plan = new Map<
    string,
    { before: KnownArticle | undefined; hash: string; changed: boolean }
  >();
  // Still listed, nothing new: only marked as seen now (retention keeps what feeds still list),
  // unless a fetch marked it within LISTED_REFRESH_MS.
  const unchangedIds: number[] = [];
  const refreshBefore = new Date(Date.parse(now) - LISTED_REFRESH_MS).toISOString();
  for (const item of items) {
    const before = known.get(item.canonicalUrl);
    // A feed without a summary keeps the one the article has (as the upsert does).
    const hash = contentHash(item.title, item.summary ?? before?.summary ?? null);
    const previousHash =
      before?.linked === true ? (before.hash ?? contentHash(before.title, before.summary)) : null;
    const changed = previousHash !== null && previousHash !== hash;
    if (before?.linked === true && before.hash === hash && saysNothingNew(before, item)) {
      if (before.listedAt < refreshBefore) unchangedIds.push(before.id);
      continue;
    }
    plan.set(item.canonicalUrl, { before, hash, changed });
    (changed ? revised : plain).push(item);
  }
  if (unchangedIds.length > 0) {
    await markListed(
      trx,
      unchangedIds.map((id) => ({ id })),
      { now },
    );
  }
  if (plan.size === 0) return result;
  const ids = new Map<string, number>();
  for (const [rows, revise] of [
    [plain, false],
    [revised, true],
  ] as const) {
    for (const row of await upsertArticles(trx, rows, now, revise)) {
      ids.set(row.canonical_url, row.id);
      result.texts.set(row.id, { title: row.title, summary: row.summary });
    }
  }
  const unlinked = [...plan].filter(([, { before }]) => before?.linked !== true);
  const added = new Set<number>();
  const linkOf = (url: string, hash: string) => ({
    feed_id: feedId,
    article_id: ids.get(url) as number,
    first_seen_at: now,
    content_hash: hash,
  });
  if (unlinked.length > 0) {
    const inserted = await insertLinks(
      trx,
      unlinked.map(([url, { hash }]) => linkOf(url, hash)),
      {},
    );
    for (const row of inserted) added.add(row.article_id);
  }
  const rehashed = [...plan].filter(
    ([, { before, hash }]) => before?.linked === true && before.hash !== hash,
  );
  if (rehashed.length > 0) {
    // Every one of these links exists: the upsert is an update of each one's hash.
    await rehashLinks(
      trx,
      rehashed.map(([url, { hash }]) => linkOf(url, hash)),
      {},
    );
  }
  for (const item of items) {
    const planned = plan.get(item.canonicalUrl);
    if (planned === undefined) continue;
    const { before, changed } = planned;
    const articleId = ids.get(item.canonicalUrl) as number;
    // Only a new article or a new title or summary changes what search finds.
    const sameText =
      before !== undefined &&
      before.title === item.title &&
      (item.summary ?? before.summary) === before.summary;
    if (!sameText) result.reindexedArticleIds.push(articleId);
    if (item.bookmarkCount !== null && before && before.bookmarkCount !== item.bookmarkCount) {
      result.recountedArticleIds.push(articleId);
    }
    if (added.has(articleId)) result.newArticleIds.push(articleId);
    else if (changed && before) {
      result.changedArticles.push({
        articleId,
        previousTitle: before.title,
        previousSummary: before.summary,
      });
    }
  }
  return result;
}

/** True when upserting `item` would leave the article as it is (the upsert's coalesce rules). */
function saysNothingNew(before: KnownArticle, item: ParsedItem): boolean {
  return (
    item.title === before.title &&
    (item.summary ?? before.summary) === before.summary &&
    (item.bookmarkCount ?? before.bookmarkCount) === before.bookmarkCount &&
    (item.bookmarkCommentsUrl ?? before.bookmarkCommentsUrl) === before.bookmarkCommentsUrl &&
    (item.imageUrl ?? before.imageUrl) === before.imageUrl &&
    (before.publishedAt ?? item.publishedAt) === before.publishedAt
  );
}

/** The articles opsfeed has of these canonical URLs, with what this feed said of them. */
async function lookUpKnownArticles(
  trx: Db,
  feedId: number,
  urls: string[],
): Promise<Map<string, KnownArticle>> {
  const rows = await knownArticlesOf(
    trx,
    urls.map((url) => ({ url })),
    { feedId },
  );
  return new Map(
    rows.map((row) => [
      row.canonical_url,
      {
        id: row.id,
        listedAt: row.updated_at,
        title: row.title,
        summary: row.summary,
        bookmarkCount: row.bookmark_count,
        bookmarkCommentsUrl: row.bookmark_comments_url,
        imageUrl: row.image_url,
        publishedAt: row.published_at,
        hash: row.content_hash,
        linked: row.feed_id !== null,
      },
    ]),
  );
}

/** The articles of these canonical URLs, with what feed `feedId` said of them last time. */
const knownArticlesOf = reusableRowsQuery(
  (db, rows: Array<{ url: string }>, values: { feedId: number }) =>
    db
      .selectFrom("articles as a")
      .leftJoin("feed_articles as fa", (join) =>
        join.onRef("fa.article_id", "=", "a.id").on("fa.feed_id", "=", values.feedId),
      )
      .select([
        "a.id",
        "a.canonical_url",
        "a.title",
        "a.summary",
        "a.bookmark_count",
        "a.bookmark_comments_url",
        "a.image_url",
        "a.published_at",
        "a.updated_at",
        "fa.content_hash",
        "fa.feed_id",
      ])
      .where(
        "a.canonical_url",
        "in",
        rows.map((row) => row.url),
      ),
);

/** Marks articles as listed by a feed now (retention keeps what feeds still list). */
const markListed = reusableRowsQuery((db, rows: Array<{ id: number }>, values: { now: string }) =>
  db
    .updateTable("articles")
    .set({ updated_at: values.now })
    .where(
      "id",
      "in",
      rows.map((row) => row.id),
    ),
);

/** A link between a feed and an article, as stored. */
type LinkRow = { feed_id: number; article_id: number; first_seen_at: string; content_hash: string };

/** Links a feed to articles it had not carried; returns the articles linked now. */
const insertLinks = reusableRowsQuery((db, rows: LinkRow[], _values: Record<never, never>) =>
  db
    .insertInto("feed_articles")
    .values(rows)
    .onConflict((oc) => oc.columns(["feed_id", "article_id"]).doNothing())
    .returning("article_id"),
);

/** Stores what a feed now says of articles it carried (their content hash). */
const rehashLinks = reusableRowsQuery((db, rows: LinkRow[], _values: Record<never, never>) =>
  db
    .insertInto("feed_articles")
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(["feed_id", "article_id"])
        .doUpdateSet({ content_hash: (eb) => eb.ref("excluded.content_hash") }),
    ),
);

/** An article row as a feed's item gives it. */
type ArticleRow = {
  canonical_url: string;
  url: string;
  title: string;
  summary: string | null;
  author: string | null;
  published_at: string | null;
  first_seen_at: string;
  updated_at: string;
  bookmark_count: number | null;
  bookmark_comments_url: string | null;
  image_url: string | null;
};

/**
 * The upsert of articles by canonical URL (updated in place); `revise` bumps their revision,
 * for articles whose title or text this feed changed.
 */
const upsertArticlesOf = (revise: boolean) =>
  reusableRowsQuery((db, rows: ArticleRow[], values: { now: string }) =>
    db
      .insertInto("articles")
      .values(rows)
      .onConflict((oc) =>
        oc.column("canonical_url").doUpdateSet({
          title: (eb) => eb.ref("excluded.title"),
          summary: sql`coalesce(excluded.summary, articles.summary)`,
          // A feed without Hatena's fields must not erase the count another feed gave.
          bookmark_count: sql`coalesce(excluded.bookmark_count, articles.bookmark_count)`,
          bookmark_comments_url: sql`coalesce(excluded.bookmark_comments_url, articles.bookmark_comments_url)`,
          image_url: sql`coalesce(excluded.image_url, articles.image_url)`,
          published_at: sql`coalesce(articles.published_at, excluded.published_at)`,
          ...(revise ? { revision: sql<number>`articles.revision + 1` } : {}),
          updated_at: values.now,
        }),
      )
      .returning(["id", "canonical_url", "title", "summary"]),
  );

const upsertPlainArticles = upsertArticlesOf(false);
const upsertRevisedArticles = upsertArticlesOf(true);

/** One multi-row upsert of these items' articles (`revise`: their text changed). */
async function upsertArticles(
  trx: Db,
  items: readonly ParsedItem[],
  now: string,
  revise: boolean,
): Promise<Array<{ id: number; canonical_url: string; title: string; summary: string | null }>> {
  if (items.length === 0) return [];
  const rows = items.map(
    (item): ArticleRow => ({
      canonical_url: item.canonicalUrl,
      url: item.url,
      title: item.title,
      summary: item.summary ?? null,
      author: item.author ?? null,
      published_at: item.publishedAt ?? null,
      first_seen_at: now,
      updated_at: now,
      bookmark_count: item.bookmarkCount ?? null,
      bookmark_comments_url: item.bookmarkCommentsUrl ?? null,
      image_url: item.imageUrl ?? null,
    }),
  );
  return (revise ? upsertRevisedArticles : upsertPlainArticles)(trx, rows, { now });
}

/** A failed fetch, counted: how often in a row, since when, and the back-off it earned. */
export interface CountedFailure {
  consecutiveFailures: number;
  nextFetchAt: string;
  failingSince: string;
  /** the channels were already told about the current outage */
  outageNotified: boolean;
}

/** What a successful fetch resets: the error, the failure count, the outage and the back-off. */
const HEALTHY_FEED = {
  last_error_code: null,
  last_error_params: null,
  consecutive_failures: 0,
  failing_since: null,
  outage_notified_at: null,
  next_fetch_at: null,
} as const;

/**
 * Stores a successful fetch in one transaction (joining the caller's, if any): the feed row
 * (created if new), its articles (one per canonical URL, updated in place), and which of them
 * this feed carried, in chunks of STORE_CHUNK items (`storeItemChunk`).
 */
export async function storeFetchedFeed(
  db: Db,
  feedUrl: string,
  parsed: ParsedFeed,
  validators: Validators,
  now: string,
  bodyHash: string | null = null,
): Promise<StoredFetch> {
  return inTransaction(db, async (trx) => {
    const fetchedColumns = {
      body_hash: bodyHash,
      title: parsed.title,
      site_url: parsed.siteUrl,
      format: parsed.format,
      etag: validators.etag,
      last_modified: validators.lastModified,
      last_attempt_at: now,
      last_success_at: now,
      ttl_minutes: parsed.ttlMinutes ?? null,
    };
    // Read before the upsert: it clears the outage, and a cleared outage is a recovery to report.
    const [before] = await outageOfUrl(trx, { url: feedUrl });
    const [feed] = await upsertFetchedFeed(trx, {
      url: feedUrl,
      created_at: now,
      ...fetchedColumns,
    });
    if (!feed) throw new Error(`feed ${feedUrl} was not stored`);

    const newArticleIds: number[] = [];
    // Articles opsfeed already had whose Hatena bookmark count this fetch changes.
    const recountedArticleIds: number[] = [];
    const changedArticles: ArticleChange[] = [];
    const items = distinctItems(parsed.items);
    for (let start = 0; start < items.length; start += STORE_CHUNK) {
      // A 40,000-item feed is stored in one transaction, but slack commands and health checks
      // arriving meanwhile are answered between its chunks instead of after all of them.
      if (start > 0) await yieldToEventLoop();
      const chunk = items.slice(start, start + STORE_CHUNK);
      const stored = await storeItemChunk(trx, feed.id, chunk, now);
      newArticleIds.push(...stored.newArticleIds);
      recountedArticleIds.push(...stored.recountedArticleIds);
      changedArticles.push(...stored.changedArticles);
      // New and changed titles and summaries are searchable as soon as the fetch is stored;
      // chunk by chunk, so no single run of the loop writes a large feed's documents at once.
      await reindexArticles(trx, stored.reindexedArticleIds, stored.texts);
    }
    return {
      feedId: feed.id,
      newArticleIds,
      recountedArticleIds,
      changedArticles,
      endedOutageNotifiedAt: before?.outage_notified_at ?? null,
    };
  });
}

/** The feed at a URL, for the upsert that follows: its outage (cleared by a success). */
const outageOfUrl = reusableQuery((db, values: { url: string }) =>
  db.selectFrom("feeds").select(["outage_notified_at"]).where("url", "=", values.url),
);

/** The columns a successful fetch writes on its feed row. */
type FetchedFeedColumns = {
  url: string;
  created_at: string;
  body_hash: string | null;
  title: string;
  site_url: string | null;
  format: string | null;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: string;
  last_success_at: string;
  ttl_minutes: number | null;
};

/** Creates or updates a feed row with what a successful fetch says, healthy again. */
const upsertFetchedFeed = reusableQuery(
  (db, { url, created_at, ...fetched }: FetchedFeedColumns) =>
    db
      .insertInto("feeds")
      .values({ url, created_at, ...fetched, ...HEALTHY_FEED })
      .onConflict((oc) => oc.column("url").doUpdateSet({ ...fetched, ...HEALTHY_FEED }))
      .returning(["id"]),
  nullShape,
);

const outageOfFeed = reusableQuery((db, values: { id: number }) =>
  db.selectFrom("feeds").select(["outage_notified_at"]).where("id", "=", values.id),
);

const markNotModified = reusableQuery((db, values: { id: number; now: string }) =>
  db
    .updateTable("feeds")
    .set({ last_attempt_at: values.now, last_success_at: values.now, ...HEALTHY_FEED })
    .where("id", "=", values.id),
);

/** Also keeps the validators a body served again byte for byte came with (many servers change them). */
const markSameBody = reusableQuery(
  (db, values: { id: number; now: string; etag: string | null; lastModified: string | null }) =>
    db
      .updateTable("feeds")
      .set({
        last_attempt_at: values.now,
        last_success_at: values.now,
        ...HEALTHY_FEED,
        etag: values.etag,
        last_modified: values.lastModified,
      })
      .where("id", "=", values.id),
  nullShape,
);

/**
 * Records a 304, or (with `validators`) the body the last full fetch parsed served again under
 * new validators: the feed works and nothing changed.
 */
export async function storeNotModified(
  db: Db,
  feedId: number,
  now: string,
  validators?: Validators,
): Promise<StoredFetch> {
  const [before] = await outageOfFeed(db, { id: feedId });
  if (!before) throw new Error(`feed ${feedId} vanished while it was polled`);
  if (validators) await markSameBody(db, { id: feedId, now, ...validators });
  else await markNotModified(db, { id: feedId, now });
  return {
    feedId,
    newArticleIds: [],
    changedArticles: [],
    endedOutageNotifiedAt: before.outage_notified_at,
  };
}

/**
 * Records a failed fetch in one transaction: counts it, and backs the feed off by
 * `retryDelayMs(consecutive failures)`.
 */
export async function storeFetchFailure(
  db: Db,
  feedId: number,
  error: { code: string; params: Record<string, string | number> },
  now: string,
  retryDelayMs: (consecutiveFailures: number) => number,
): Promise<CountedFailure> {
  return inTransaction(db, async (trx) => {
    const feed = await trx
      .selectFrom("feeds")
      .select(["consecutive_failures", "failing_since", "outage_notified_at"])
      .where("id", "=", feedId)
      .executeTakeFirstOrThrow();
    const consecutiveFailures = feed.consecutive_failures + 1;
    const failingSince = feed.failing_since ?? now;
    const nextFetchAt = new Date(Date.parse(now) + retryDelayMs(consecutiveFailures)).toISOString();
    await trx
      .updateTable("feeds")
      .set({
        last_attempt_at: now,
        last_error_code: error.code,
        last_error_params: JSON.stringify(error.params),
        consecutive_failures: consecutiveFailures,
        failing_since: failingSince,
        next_fetch_at: nextFetchAt,
      })
      .where("id", "=", feedId)
      .execute();
    return {
      consecutiveFailures,
      nextFetchAt,
      failingSince,
      outageNotified: feed.outage_notified_at !== null,
    };
  });
}

/**
 * Records how long the feed asked not to be fetched again (Cache-Control max-age, RSS ttl,
 * Retry-After); null when it did not ask.
 */
export async function setFeedFreshUntil(
  db: Db,
  feedId: number,
  freshUntil: string | null,
): Promise<void> {
  await freshUntilOf(db, { id: feedId, freshUntil });
}

const freshUntilOf = reusableQuery(
  (db, values: { id: number; freshUntil: string | null }) =>
    db.updateTable("feeds").set({ fresh_until: values.freshUntil }).where("id", "=", values.id),
  nullShape,
);

/**
 * Feeds of realtime subscriptions due for their short interval: no one attempted them since
 * `attemptedBefore`, their back-off has passed and they are no longer fresh by their own
 * word; oldest attempt first.
 */
export async function listDueRealtimeFeeds(
  db: Db,
  now: string,
  attemptedBefore: string,
): Promise<Feed[]> {
  // Dialect difference: Postgres sorts NULLs last, SQLite first; never-attempted feeds go first.
  return db
    .selectFrom("feeds")
    .selectAll()
    .where((eb) => eb.or([eb("next_fetch_at", "is", null), eb("next_fetch_at", "<=", now)]))
    .where((eb) => eb.or([eb("fresh_until", "is", null), eb("fresh_until", "<=", now)]))
    .where((eb) =>
      eb.or([eb("last_attempt_at", "is", null), eb("last_attempt_at", "<", attemptedBefore)]),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("subscriptions")
          .select("id")
          .whereRef("subscriptions.feed_id", "=", "feeds.id")
          .where("subscriptions.mode", "=", "realtime"),
      ),
    )
    .orderBy("last_attempt_at", (ob) => ob.asc().nullsFirst())
    .orderBy("id")
    .execute();
}

/** Remembers that the channels were told about the current outage, so they are told once. */
export async function markOutageNotified(db: Db, feedId: number, now: string): Promise<void> {
  await db.updateTable("feeds").set({ outage_notified_at: now }).where("id", "=", feedId).execute();
}

/** One feed, if it exists. */
export async function getFeed(db: Db, feedId: number): Promise<Feed | undefined> {
  const [feed] = await feedById(db, { id: feedId });
  return feed;
}

const feedById = reusableQuery((db, values: { id: number }) =>
  db.selectFrom("feeds").selectAll().where("id", "=", values.id),
);

/**
 * Feeds some channel subscribes to whose back-off has passed and (with `dueSince`) that no
 * one attempted since then, oldest attempt first.
 */
export async function listDueFeeds(db: Db, now: string, dueSince: string | null): Promise<Feed[]> {
  // Dialect difference: Postgres sorts NULLs last, SQLite first; never-attempted feeds go first.
  return db
    .selectFrom("feeds")
    .selectAll()
    .where((eb) => eb.or([eb("next_fetch_at", "is", null), eb("next_fetch_at", "<=", now)]))
    .$if(dueSince !== null, (qb) =>
      qb.where((eb) =>
        eb.or([eb("last_attempt_at", "is", null), eb("last_attempt_at", "<", dueSince as string)]),
      ),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("subscriptions")
          .select("id")
          .whereRef("subscriptions.feed_id", "=", "feeds.id"),
      ),
    )
    .orderBy("last_attempt_at", (ob) => ob.asc().nullsFirst())
    .orderBy("id")
    .execute();
}

/** The feeds a channel subscribes to. */
export async function listFeedsOfChannel(db: Db, channelId: string): Promise<Feed[]> {
  // Dialect difference: Postgres returns unordered rows in its own order; fetch in feed order.
  return db
    .selectFrom("feeds")
    .innerJoin("subscriptions", "subscriptions.feed_id", "feeds.id")
    .selectAll("feeds")
    .where("subscriptions.channel_id", "=", channelId)
    .orderBy("feeds.id")
    .execute();
}

/** Feeds some channel (or the given channel) subscribes to, oldest first, for OPML export. */
export async function listSubscribedFeeds(
  db: Db,
  channelId: string | null,
): Promise<Array<Pick<Feed, "title" | "url" | "site_url">>> {
  return db
    .selectFrom("feeds")
    .select(["title", "url", "site_url"])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("subscriptions")
          .select("subscriptions.id")
          .whereRef("subscriptions.feed_id", "=", "feeds.id")
          .$if(channelId !== null, (qb) =>
            qb.where("subscriptions.channel_id", "=", channelId as string),
          ),
      ),
    )
    .orderBy("feeds.id")
    .execute();
}

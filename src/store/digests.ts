import type { SubscriptionFilters } from "../feeds/types.js";
import type { Db } from "./database.js";
import { reusableQuery } from "./reusable-query.js";
import { filtersOf } from "./subscriptions.js";

/*
 * Digests: each one claimed (its articles and rendered messages written) before anything is
 * posted, each message's ts recorded as Slack accepts it.
 */

/** An article a channel's next digest may hold, with the filters of the subscription that carried it. */
export interface DigestCandidate {
  articleId: number;
  title: string;
  url: string;
  summary: string | null;
  bookmarkCount: number | null;
  bookmarkCommentsUrl: string | null;
  publishedAt: string | null;
  firstSeenAt: string;
  /** the title of the feed that carried it */
  source: string;
  filters: SubscriptionFilters;
}

/**
 * The articles of a channel's digest subscriptions it has never been shown (in a digest or a
 * realtime post), first seen by their feed since `since` (or carried by a subscription added
 * since then), by subscription: one row per subscription that carries the article, in
 * subscription order.
 */
export async function listDigestCandidates(
  db: Db,
  channelId: string,
  since: string | null,
): Promise<DigestCandidate[]> {
  const rows = await candidatesOf(db, { channelId, since });
  // Sorted here, not by ORDER BY: the rows are few, and a sort over the UNION ALL would be a
  // temp B-tree in SQLite. Within a subscription the order does not matter (the selection
  // ranks them); across them the first subscription's filters win.
  rows.sort((a, b) => a.subscription_id - b.subscription_id);
  // Parsed once per subscription, not once per article it carries.
  const filters = new Map<number, SubscriptionFilters>();
  const filtersOfRow = (row: (typeof rows)[number]) => {
    let parsed = filters.get(row.subscription_id);
    if (!parsed) {
      parsed = filtersOf(row);
      filters.set(row.subscription_id, parsed);
    }
    return parsed;
  };
  return rows.map((row) => ({
    articleId: row.id,
    title: row.title,
    url: row.url,
    summary: row.summary,
    bookmarkCount: row.bookmark_count,
    bookmarkCommentsUrl: row.bookmark_comments_url,
    publishedAt: row.published_at,
    firstSeenAt: row.first_seen_at,
    source: row.source,
    filters: filtersOfRow(row),
  }));
}

/** The candidate query, built once per dialect and for a channel with or without a digest. */
const candidatesOf = reusableQuery(
  (db, values: { channelId: string; since: string | null }) =>
    digestCandidatesQuery(db, values.channelId, values.since),
  (values) => (values.since === null ? "first digest" : "since a digest"),
);

/**
 * The query of `listDigestCandidates` (unsorted), exported for its plan test. Each
 * subscription reads its feed's articles from one lower bound on `first_seen_at` (the later
 * of `since`, unless the subscription is newer, and `digest_since`), a range scan of
 * `feed_articles_feed_seen`; a subscription with no bound (new since the last digest, never
 * realtime) reads its feed's whole history. The two are a UNION ALL rather than an OR, which
 * would make every subscription read its feed's whole history.
 */
export function digestCandidatesQuery(db: Db, channelId: string, since: string | null) {
  const branch = (
    articles: (
      qb: ReturnType<typeof subscriptionArticles>,
    ) => ReturnType<typeof subscriptionArticles>,
  ) => articles(subscriptionArticles(db, channelId));
  // A subscription with no lower bound: added since the last digest (or no digest yet) and
  // never realtime.
  const whole = branch((qb) =>
    qb
      .where("s.digest_since", "is", null)
      .$if(since !== null, (q) => q.where("s.created_at", ">=", since as string)),
  );
  // Every other subscription, from its bound. A realtime subscription that went back to the
  // digest contributes only what its feed carried since; ">=": an article stored in the same
  // millisecond as the previous claim is not lost (one the digest already showed is excluded).
  const bounded = branch((qb) =>
    qb.where("fa.first_seen_at", ">=", (eb) =>
      since === null
        ? eb.ref("s.digest_since")
        : eb
            .case()
            .when("s.created_at", ">=", since)
            .then(eb.ref("s.digest_since"))
            .when("s.digest_since", ">", since)
            .then(eb.ref("s.digest_since"))
            .else(eb.val(since))
            .end(),
    ),
  );
  return whole.unionAll(bounded);
}

/** One branch of the candidate query: a channel's digest subscriptions, their feeds' articles. */
function subscriptionArticles(db: Db, channelId: string) {
  return (
    db
      .selectFrom("subscriptions as s")
      .innerJoin("feeds as f", "f.id", "s.feed_id")
      .innerJoin("feed_articles as fa", "fa.feed_id", "s.feed_id")
      .innerJoin("articles as a", "a.id", "fa.article_id")
      .select([
        "s.id as subscription_id",
        "a.id",
        "a.title",
        "a.url",
        "a.summary",
        "a.bookmark_count",
        "a.bookmark_comments_url",
        "a.published_at",
        "a.first_seen_at",
        "f.title as source",
        "s.include_words",
        "s.exclude_words",
        "s.min_bookmarks",
      ])
      .where("s.channel_id", "=", channelId)
      // A realtime subscription posts its articles itself.
      .where("s.mode", "=", "digest")
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("realtime_posts as rp")
              .select("rp.article_id")
              .where("rp.channel_id", "=", channelId)
              .whereRef("rp.article_id", "=", "a.id"),
          ),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom("digest_articles as da")
              .select("da.article_id")
              .where("da.channel_id", "=", channelId)
              .whereRef("da.article_id", "=", "a.id"),
          ),
        ),
      )
  );
}

/** A digest to claim: its channel, what triggered it, when, and how many articles. */
export interface DigestClaim {
  channelId: string;
  trigger: string;
  claimedAt: string;
  articleCount: number;
  overflowCount: number;
}

/** Inserts a claimed digest's row; at most one unfinished digest per channel (a unique index). */
export async function insertClaimedDigest(db: Db, claim: DigestClaim): Promise<number> {
  const digest = await db
    .insertInto("digests")
    .values({
      channel_id: claim.channelId,
      status: "claimed",
      trigger: claim.trigger,
      claimed_at: claim.claimedAt,
      article_count: claim.articleCount,
      overflow_count: claim.overflowCount,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return digest.id;
}

/** Inserts one message of a claimed digest (its outbox message) and the articles it shows. */
export async function insertDigestMessage(
  db: Db,
  message: {
    digestId: number;
    channelId: string;
    index: number;
    outboxKey: string;
    articles: Array<{ articleId: number; position: number }>;
  },
): Promise<void> {
  await db
    .insertInto("digest_messages")
    .values({
      digest_id: message.digestId,
      message_index: message.index,
      channel_id: message.channelId,
      outbox_key: message.outboxKey,
    })
    .execute();
  // One statement per chunk, not per article: claiming is most of a due tick's database work.
  for (let start = 0; start < message.articles.length; start += ROWS_PER_INSERT) {
    await db
      .insertInto("digest_articles")
      .values(
        message.articles.slice(start, start + ROWS_PER_INSERT).map((article) => ({
          digest_id: message.digestId,
          channel_id: message.channelId,
          article_id: article.articleId,
          position: article.position,
          message_index: message.index,
        })),
      )
      .execute();
  }
}

/** Rows per multi-row insert: well under SQLite's limit of bound variables per statement. */
const ROWS_PER_INSERT = 500;

/** The channel's unfinished (claimed, not yet posted) digest, if any. */
export async function findClaimedDigestId(db: Db, channelId: string): Promise<number | null> {
  const row = await db
    .selectFrom("digests")
    .select("id")
    .where("channel_id", "=", channelId)
    .where("status", "=", "claimed")
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Every unfinished digest, with its channel. */
export async function listClaimedDigests(
  db: Db,
): Promise<Array<{ id: number; channelId: string }>> {
  const rows = await claimedDigestsQuery(db).execute();
  return rows.map((row) => ({ id: row.id, channelId: row.channel_id }));
}

/** The query of `listClaimedDigests`, exported for its plan test (an index, not every digest). */
export function claimedDigestsQuery(db: Db) {
  return db.selectFrom("digests").select(["id", "channel_id"]).where("status", "=", "claimed");
}

/** A digest's status ('claimed', 'posted', 'failed'), or null when there is no such digest. */
export async function digestStatus(db: Db, digestId: number): Promise<string | null> {
  const row = await db
    .selectFrom("digests")
    .select("status")
    .where("id", "=", digestId)
    .executeTakeFirst();
  return row?.status ?? null;
}

/** A digest's messages in order: each part's outbox key and delivery status. */
export async function listDigestParts(
  db: Db,
  digestId: number,
): Promise<Array<{ index: number; key: string; status: string }>> {
  const rows = await db
    .selectFrom("digest_messages as dm")
    .innerJoin("outbox as o", "o.key", "dm.outbox_key")
    .select(["dm.message_index", "o.key", "o.status"])
    .where("dm.digest_id", "=", digestId)
    .orderBy("dm.message_index")
    .execute();
  return rows.map((row) => ({ index: row.message_index, key: row.key, status: row.status }));
}

/** Closes a digest as posted; returns when it was claimed and its counts. */
export async function markDigestPosted(
  db: Db,
  digestId: number,
  now: string,
): Promise<{ claimedAt: string; articleCount: number; overflowCount: number }> {
  const row = await db
    .updateTable("digests")
    .set({ status: "posted", posted_at: now })
    .where("id", "=", digestId)
    .returning(["claimed_at", "article_count", "overflow_count"])
    .executeTakeFirstOrThrow();
  return {
    claimedAt: row.claimed_at,
    articleCount: row.article_count,
    overflowCount: row.overflow_count,
  };
}

/**
 * Closes a digest that will not be posted in full: `failed` (Slack refuses it for good) or
 * `parked` (refused the same way too often). The articles of the parts never posted are
 * released, so a later digest can show them, and those parts' messages are closed too.
 */
export async function markDigestAbandoned(
  db: Db,
  digestId: number,
  status: "failed" | "parked",
  code: string,
): Promise<void> {
  const unposted = (await listDigestParts(db, digestId)).filter((part) => part.status !== "sent");
  if (unposted.length > 0) {
    await db
      .deleteFrom("digest_articles")
      .where("digest_id", "=", digestId)
      .where(
        "message_index",
        "in",
        unposted.map((part) => part.index),
      )
      .execute();
    await db
      .updateTable("outbox")
      .set({ status, last_error: code, uncertain: 0, next_attempt_at: null })
      .where(
        "key",
        "in",
        unposted.map((part) => part.key),
      )
      .where("status", "=", "pending")
      .execute();
  }
  await db
    .updateTable("digests")
    .set({ status, error_code: code })
    .where("id", "=", digestId)
    .execute();
}

/** The digest messages that carried an article, in any channel. */
export async function listMessagesCarrying(
  db: Db,
  articleId: number,
): Promise<Array<{ digestId: number; index: number }>> {
  const rows = await db
    .selectFrom("digest_articles")
    .select(["digest_id", "message_index"])
    .where("article_id", "=", articleId)
    .execute();
  return rows.map((row) => ({ digestId: row.digest_id, index: row.message_index }));
}

/** Notes a team action on an article in every digest message that carried it. */
export async function bumpDigestActivity(db: Db, articleId: number): Promise<void> {
  await db
    .updateTable("digest_messages")
    .set((eb) => ({ activity_version: eb("activity_version", "+", 1) }))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("digest_articles as da")
          .select("da.article_id")
          .whereRef("da.digest_id", "=", "digest_messages.digest_id")
          .whereRef("da.message_index", "=", "digest_messages.message_index")
          .where("da.article_id", "=", articleId),
      ),
    )
    .execute();
}

/** A posted digest message as it was claimed, the articles it shows, and its activity versions. */
export interface PostedDigestMessage {
  channelId: string;
  ts: string;
  payload: string;
  articleIds: number[];
  activityVersion: number;
  shownVersion: number;
}

/** A posted digest message, or null when it is not (yet) posted. */
export async function getPostedDigestMessage(
  db: Db,
  digestId: number,
  index: number,
): Promise<PostedDigestMessage | null> {
  const message = await db
    .selectFrom("digest_messages as dm")
    .innerJoin("outbox as o", "o.key", "dm.outbox_key")
    .select(["dm.channel_id", "o.ts", "o.payload", "dm.activity_version", "dm.shown_version"])
    .where("dm.digest_id", "=", digestId)
    .where("dm.message_index", "=", index)
    .where("o.status", "=", "sent")
    .executeTakeFirst();
  if (!message?.ts) return null;
  const articles = await db
    .selectFrom("digest_articles")
    .select("article_id")
    .where("digest_id", "=", digestId)
    .where("message_index", "=", index)
    .execute();
  return {
    channelId: message.channel_id,
    ts: message.ts,
    payload: message.payload,
    articleIds: articles.map((row) => row.article_id),
    activityVersion: message.activity_version,
    shownVersion: message.shown_version,
  };
}

/** Records that the posted message now shows the activity up to `version`. */
export async function markActivityShown(
  db: Db,
  digestId: number,
  index: number,
  version: number,
): Promise<void> {
  await db
    .updateTable("digest_messages")
    .set({ shown_version: version })
    .where("digest_id", "=", digestId)
    .where("message_index", "=", index)
    .where("shown_version", "<", version)
    .execute();
}

/** Digest messages whose posted text lags behind the team's activity. */
export async function listStaleDigestMessages(
  db: Db,
  limit: number,
): Promise<Array<{ digestId: number; index: number }>> {
  const rows = await db
    .selectFrom("digest_messages")
    .select(["digest_id", "message_index"])
    .whereRef("activity_version", ">", "shown_version")
    .limit(limit)
    .execute();
  return rows.map((row) => ({ digestId: row.digest_id, index: row.message_index }));
}

/** The ts of the posted digest message that carried an article in a channel, or null. */
export async function findDigestMessageTs(
  db: Db,
  channelId: string,
  articleId: number,
): Promise<string | null> {
  const row = await db
    .selectFrom("digest_articles as da")
    .innerJoin("digest_messages as dm", (join) =>
      join
        .onRef("dm.digest_id", "=", "da.digest_id")
        .onRef("dm.message_index", "=", "da.message_index"),
    )
    .innerJoin("outbox as o", "o.key", "dm.outbox_key")
    .select("o.ts")
    .where("da.channel_id", "=", channelId)
    .where("da.article_id", "=", articleId)
    .where("o.status", "=", "sent")
    .executeTakeFirst();
  return row?.ts ?? null;
}

/**
 * The articles of the digest message posted at `ts` in a channel, in the order it shows them,
 * or null when opsfeed posted no digest message there.
 */
export async function digestArticlesAt(
  db: Db,
  channelId: string,
  ts: string,
): Promise<number[] | null> {
  const message = await db
    .selectFrom("digest_messages as dm")
    .innerJoin("outbox as o", "o.key", "dm.outbox_key")
    .select(["dm.digest_id", "dm.message_index"])
    .where("o.channel_id", "=", channelId)
    .where("o.ts", "=", ts)
    .executeTakeFirst();
  if (!message) return null;
  const rows = await db
    .selectFrom("digest_articles")
    .select("article_id")
    .where("digest_id", "=", message.digest_id)
    .where("message_index", "=", message.message_index)
    .orderBy("position")
    .execute();
  return rows.map((row) => row.article_id);
}

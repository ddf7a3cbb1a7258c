import { matchesFilters } from "../feeds/filters.js";
import { filtersOf } from "../feeds/subscriptions.js";
import type { Db } from "../store/database.js";
import type { DigestEntry } from "./types.js";

/** The articles a channel's next digest holds, best first, and how many more there were. */
export interface DigestSelection {
  entries: DigestEntry[];
  overflowCount: number;
}

/**
 * Picks a channel's new articles: those of its subscriptions (after each subscription's
 * filters) it has never been shown, first seen since its previous digest. A subscription
 * added since then contributes what its feed holds now, as a channel's first digest does.
 * One entry per article, however many feeds carried it. Best first: Hatena bookmark count
 * where there is one, then the most recent.
 */
export async function selectDigestArticles(
  db: Db,
  channelId: string,
  since: string | null,
  maxArticles: number,
): Promise<DigestSelection> {
  const rows = await db
    .selectFrom("subscriptions as s")
    .innerJoin("feeds as f", "f.id", "s.feed_id")
    .innerJoin("feed_articles as fa", "fa.feed_id", "s.feed_id")
    .innerJoin("articles as a", "a.id", "fa.article_id")
    .select([
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
    .$if(since !== null, (qb) =>
      qb.where((eb) =>
        // ">=": an article stored in the same millisecond as the previous claim is not lost;
        // one that digest already showed is excluded above.
        eb.or([
          eb("fa.first_seen_at", ">=", since as string),
          eb("s.created_at", ">=", since as string),
        ]),
      ),
    )
    .orderBy("s.id")
    .execute();

  const chosen = new Map<number, DigestEntry & { seenAt: string }>();
  for (const row of rows) {
    if (chosen.has(row.id)) continue;
    const item = { title: row.title, summary: row.summary, bookmarkCount: row.bookmark_count };
    if (!matchesFilters(item, filtersOf(row))) continue;
    chosen.set(row.id, {
      articleId: row.id,
      title: row.title,
      url: row.url,
      summary: row.summary,
      source: row.source,
      bookmarkCount: row.bookmark_count,
      bookmarkCommentsUrl: row.bookmark_comments_url,
      // A feed without a usable date: the article is dated when opsfeed first saw it.
      publishedAt: row.published_at ?? row.first_seen_at,
      seenAt: row.published_at ?? row.first_seen_at,
    });
  }
  const ranked = [...chosen.values()].sort(
    (a, b) =>
      (b.bookmarkCount ?? -1) - (a.bookmarkCount ?? -1) ||
      b.seenAt.localeCompare(a.seenAt) ||
      b.articleId - a.articleId,
  );
  const entries = ranked.slice(0, maxArticles).map(({ seenAt: _seenAt, ...entry }) => entry);
  return { entries, overflowCount: ranked.length - entries.length };
}

import { matchesFilters } from "../feeds/filters.js";
import type { DigestCandidate } from "../store/digests.js";
import type { DigestEntry } from "./types.js";

/** The articles a channel's next digest holds, best first, and how many more there were. */
export interface DigestSelection {
  entries: DigestEntry[];
  overflowCount: number;
}

/**
 * Picks a channel's digest from its candidates (one row per subscription carrying an
 * article, in subscription order): those passing that subscription's filters, one entry per
 * article however many feeds carried it. Best first: Hatena bookmark count where there is
 * one, then the most recent.
 */
export function selectDigestEntries(
  candidates: DigestCandidate[],
  maxArticles: number,
): DigestSelection {
  const chosen = new Map<number, DigestEntry & { seenAt: string }>();
  for (const candidate of candidates) {
    if (chosen.has(candidate.articleId)) continue;
    if (!passesFilters(candidate)) continue;
    // A feed without a usable date: the article is dated when opsfeed first saw it.
    const publishedAt = candidate.publishedAt ?? candidate.firstSeenAt;
    chosen.set(candidate.articleId, {
      articleId: candidate.articleId,
      title: candidate.title,
      url: candidate.url,
      summary: candidate.summary,
      source: candidate.source,
      bookmarkCount: candidate.bookmarkCount,
      bookmarkCommentsUrl: candidate.bookmarkCommentsUrl,
      publishedAt,
      seenAt: publishedAt,
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

/**
 * The subscription's filters pass the candidate. Most subscriptions have none, and then the
 * article's text is not folded (NFKC over title and summary) only to be matched against nothing.
 */
function passesFilters(candidate: DigestCandidate): boolean {
  const { include, exclude, minBookmarks } = candidate.filters;
  if (include.length === 0 && exclude.length === 0 && minBookmarks === null) return true;
  return matchesFilters(candidate, candidate.filters);
}

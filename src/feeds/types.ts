/*
 * The feed model: plain data shared by fetching, parsing, filtering and storage. Imports
 * nothing, so every layer may use it.
 */

/** The syntax a feed was written in. */
export type FeedFormat = "rss" | "rdf" | "atom" | "json";

/** A feed reduced to what opsfeed stores and shows. */
export interface ParsedFeed {
  format: FeedFormat;
  title: string;
  siteUrl: string | null;
  items: ParsedItem[];
  /** RSS `ttl`: minutes the feed may be cached before it is fetched again */
  ttlMinutes?: number | null;
}

/** One article of a feed, as plain text with an absolute http(s) URL. */
export interface ParsedItem {
  url: string;
  canonicalUrl: string;
  title: string;
  summary: string | null;
  publishedAt: string | null;
  author: string | null;
  bookmarkCount: number | null;
  bookmarkCommentsUrl: string | null;
  imageUrl: string | null;
  subjects: string[];
}

/** The validators a conditional GET sends back. */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

/** The filters of one subscription; empty lists and a null minimum mean "no filter". */
export interface SubscriptionFilters {
  include: string[];
  exclude: string[];
  minBookmarks: number | null;
}

/** How a subscription delivers: in the channel's digest, or each new article at once. */
export type SubscriptionMode = "digest" | "realtime";

/** A subscription's delivery: its mode and, for realtime, who its posts mention. */
export interface SubscriptionDelivery {
  mode: SubscriptionMode;
  /** `<@U…>` or `<!subteam^S…>`; realtime only */
  mention: string | null;
}

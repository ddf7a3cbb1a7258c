import { z } from "zod";
import type { ProxySettings } from "../config/proxy.js";
import { AppError, isAppError } from "../errors.js";
import { type SafeFetchResult, safeFetch } from "./safe-fetch.js";

/*
 * The public bookmark comments of an article, from Hatena Bookmark's entry API
 * (`<HATENA_API_URL>entry/jsonlite/?url=<article url>`), through the safe fetcher (address
 * policy, proxy, time and size limits), cached in memory for a few minutes. Its answer is
 * `null` for a URL nobody bookmarked, else an object with `count` and `bookmarks[]` of
 * `{ user, comment, tags, timestamp }` (timestamps `YYYY/MM/DD HH:MM`, Japan time).
 */

/** How long one answer from Hatena is reused. */
export const HATENA_CACHE_MS = 5 * 60_000;
/** How many articles' answers are kept at most (the oldest go first). */
const CACHE_ENTRIES = 500;
/** How long Hatena may take: a user waits for the reply. */
export const HATENA_TIMEOUT_MS = 4_000;
/** The largest answer read; a popular entry's few thousand bookmarks fit well within it. */
export const HATENA_MAX_BYTES = 2 * 1024 * 1024;

/** One public bookmark with a comment. */
export interface HatenaBookmark {
  user: string;
  comment: string;
  tags: string[];
  /** when it was bookmarked (ISO UTC), or null when Hatena's timestamp is unreadable */
  at: string | null;
}

/** What Hatena Bookmark says about an article. */
export interface HatenaComments {
  /** false when nobody has bookmarked it (there is no entry) */
  hasEntry: boolean;
  /** every bookmark, with or without a comment */
  bookmarkCount: number;
  /** the bookmarks with a comment, newest first */
  comments: HatenaBookmark[];
  /** the entry's page on Hatena Bookmark, where all comments are */
  entryUrl: string;
}

/** Fetches one URL the safe way (the app's network policy). */
export type HatenaFetcher = (url: string) => Promise<SafeFetchResult>;

/** Creates the fetcher Hatena requests go through. */
export function createHatenaFetcher(options: {
  allowPrivateNetworks: boolean;
  userAgent: string;
  proxy?: ProxySettings;
  timeoutMs?: number;
}): HatenaFetcher {
  return (url) =>
    safeFetch(url, {
      allowPrivateNetworks: options.allowPrivateNetworks,
      userAgent: options.userAgent,
      proxy: options.proxy,
      timeoutMs: options.timeoutMs ?? HATENA_TIMEOUT_MS,
      maxBytes: HATENA_MAX_BYTES,
      maxRedirects: 2,
      accept: "application/json",
    });
}

const bookmarkSchema = z.object({
  user: z.string(),
  comment: z.string().nullish(),
  tags: z.array(z.string()).nullish(),
  timestamp: z.string().nullish(),
});

const entrySchema = z
  .object({
    count: z.coerce.number().int().nonnegative().nullish(),
    entry_url: z.string().nullish(),
    bookmarks: z.array(bookmarkSchema).nullish(),
  })
  .nullable();

/** `2026/11/25 18:30` (Japan time, no daylight saving) as ISO UTC, or null. */
function hatenaTime(timestamp: string | null | undefined): string | null {
  const match = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(timestamp ?? "");
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s ?? "00"}+09:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The entry page of a URL on Hatena Bookmark: `entry/s/<host/path>` for https, `entry/<…>` else. */
export function hatenaEntryPage(apiUrl: string, articleUrl: string): string {
  const https = /^https:\/\//i.test(articleUrl);
  const rest = articleUrl.replace(/^https?:\/\//i, "");
  return `${apiUrl}entry/${https ? "s/" : ""}${rest}`;
}

/** Reads the entry API's answer; AppError `hatena.invalid-answer` when it is not that JSON. */
export function parseHatenaEntry(body: Buffer, entryPage: string): HatenaComments {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new AppError("hatena.invalid-answer", {});
  }
  const parsed = entrySchema.safeParse(json);
  if (!parsed.success) throw new AppError("hatena.invalid-answer", {});
  const entry = parsed.data;
  if (entry === null)
    return { hasEntry: false, bookmarkCount: 0, comments: [], entryUrl: entryPage };
  const bookmarks = entry.bookmarks ?? [];
  const comments = bookmarks
    .map((bookmark, index) => ({
      user: bookmark.user,
      comment: (bookmark.comment ?? "").trim(),
      tags: (bookmark.tags ?? []).filter((tag) => tag.trim() !== ""),
      at: hatenaTime(bookmark.timestamp),
      index,
    }))
    .filter((bookmark) => bookmark.comment !== "")
    // Newest first; Hatena already sends them so, and its order breaks ties.
    .sort((a, b) => (b.at ?? "").localeCompare(a.at ?? "") || a.index - b.index)
    .map(({ index: _index, ...bookmark }) => bookmark);
  return {
    hasEntry: true,
    bookmarkCount: entry.count ?? bookmarks.length,
    comments,
    entryUrl: entryPage,
  };
}

/** Turns a failed fetch into words about Hatena (not about "the feed"). */
function hatenaError(error: unknown, host: string): unknown {
  if (!isAppError(error)) return error;
  switch (error.code) {
    case "fetch.http-status": {
      const status = Number(error.params.status);
      return status >= 500
        ? new AppError("hatena.server-error", { status })
        : new AppError("hatena.refused", { status });
    }
    case "fetch.timeout":
      return new AppError("hatena.timeout", { seconds: error.params.seconds ?? 0 });
    case "fetch.too-large":
      return new AppError("hatena.too-large", { megabytes: error.params.megabytes ?? 0 });
    default:
      return new AppError("hatena.unreachable", { host });
  }
}

/** The Hatena Bookmark comments use case, with its cache. */
export function createHatenaComments(deps: {
  fetcher: HatenaFetcher;
  apiUrl: string;
  clock: () => Date;
  cacheMs?: number;
}) {
  const cache = new Map<string, { value: HatenaComments; until: number }>();
  const cacheMs = deps.cacheMs ?? HATENA_CACHE_MS;
  return {
    /** The public comments on an article URL, newest first (cached for a few minutes). */
    async comments(articleUrl: string): Promise<HatenaComments> {
      const now = deps.clock().getTime();
      const cached = cache.get(articleUrl);
      if (cached && cached.until > now) return cached.value;
      const entryPage = hatenaEntryPage(deps.apiUrl, articleUrl);
      const apiUrl = `${deps.apiUrl}entry/jsonlite/?url=${encodeURIComponent(articleUrl)}`;
      let response: SafeFetchResult;
      try {
        response = await deps.fetcher(apiUrl);
      } catch (error) {
        // No entry: some versions of the API answer 404 rather than `null`.
        if (
          isAppError(error) &&
          error.code === "fetch.http-status" &&
          error.params.status === 404
        ) {
          return remember(articleUrl, {
            hasEntry: false,
            bookmarkCount: 0,
            comments: [],
            entryUrl: entryPage,
          });
        }
        throw hatenaError(error, new URL(deps.apiUrl).host);
      }
      if (response.status !== "ok") throw new AppError("hatena.invalid-answer", {});
      return remember(articleUrl, parseHatenaEntry(response.body, entryPage));
    },
  };

  function remember(url: string, value: HatenaComments): HatenaComments {
    cache.delete(url);
    cache.set(url, { value, until: deps.clock().getTime() + cacheMs });
    while (cache.size > CACHE_ENTRIES) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
    return value;
  }
}

/** The Hatena comments use case, as the composition root builds it. */
export type HatenaCommentsService = ReturnType<typeof createHatenaComments>;

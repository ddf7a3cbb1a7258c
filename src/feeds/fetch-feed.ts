import { AppError } from "../errors.js";
import { parseFeed } from "./parse-feed.js";
import { type SafeFetchOptions, safeFetch } from "./safe-fetch.js";
import type { ParsedFeed, Validators } from "./types.js";

/** Fetches a URL the safe way; tests and the CLI share the app's policy through it. */
export type FeedFetcher = (
  url: string,
  validators: Validators | null,
) => ReturnType<typeof safeFetch>;

/** A fetched feed: parsed, or unchanged since the validators were issued. */
export type FetchedFeed =
  | {
      status: "ok";
      feed: ParsedFeed;
      validators: Validators;
      finalUrl: string;
      /** how long the feed asks not to be fetched again (max-age or RSS ttl, the longer), or null */
      freshForSeconds: number | null;
    }
  | { status: "not-modified"; freshForSeconds: number | null };

/** Creates the fetcher every feed request goes through, with opsfeed's network policy. */
export function createFeedFetcher(
  options: Pick<
    SafeFetchOptions,
    "allowPrivateNetworks" | "userAgent" | "timeoutMs" | "maxBytes" | "proxy"
  >,
): FeedFetcher {
  return (url, validators) =>
    safeFetch(url, {
      ...options,
      etag: validators?.etag ?? null,
      lastModified: validators?.lastModified ?? null,
    });
}

/** Fetches and parses a feed; throws AppError (fetch.* or feed.*) when it cannot be read. */
export async function fetchFeed(
  fetcher: FeedFetcher,
  url: string,
  validators: Validators | null,
): Promise<FetchedFeed> {
  const response = await fetcher(url, validators);
  if (response.status === "not-modified") {
    return { status: "not-modified", freshForSeconds: response.maxAgeSeconds ?? null };
  }
  // Relative links resolve against where the feed really is, after redirects; the
  // Content-Type's charset wins over what the document says about its encoding.
  const feed = parseFeed(response.body, response.url, response.contentType);
  const ttlSeconds = feed.ttlMinutes ? feed.ttlMinutes * 60 : null;
  const maxAge = response.maxAgeSeconds ?? null;
  return {
    status: "ok",
    feed,
    validators: { etag: response.etag, lastModified: response.lastModified },
    finalUrl: response.url,
    freshForSeconds:
      maxAge === null && ttlSeconds === null ? null : Math.max(maxAge ?? 0, ttlSeconds ?? 0),
  };
}

/** Fetches and parses a feed unconditionally (no validators), for subscribe and preview. */
export async function fetchFeedOrThrow(
  fetcher: FeedFetcher,
  url: string,
  validators: null,
): Promise<Extract<FetchedFeed, { status: "ok" }>> {
  const fetched = await fetchFeed(fetcher, url, validators);
  // Without validators a server has no reason to answer 304; one that does is broken.
  if (fetched.status !== "ok") throw new AppError("fetch.http-status", { status: 304 });
  return fetched;
}

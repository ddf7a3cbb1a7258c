import { createHash } from "node:crypto";
import { AppError } from "../errors.js";
import { VERSION } from "../version.js";
import { type FeedParser, parseInline } from "./parse-worker-pool.js";
import { type SafeFetchOptions, safeFetch } from "./safe-fetch.js";
import type { ParsedFeed, Validators } from "./types.js";

/**
 * Fetches a URL the safe way; tests and the CLI share the app's policy through it. `parse`,
 * when set, is how its bodies are parsed (the app's worker pool); else they are parsed inline.
 */
export type FeedFetcher = ((
  url: string,
  validators: Validators | null,
) => ReturnType<typeof safeFetch>) & { parse?: FeedParser };

/** A fetched feed: parsed, or unchanged since the validators were issued, or byte for byte. */
export type FetchedFeed =
  | {
      status: "ok";
      feed: ParsedFeed;
      validators: Validators;
      finalUrl: string;
      /** how long the feed asks not to be fetched again (max-age or RSS ttl, the longer), or null */
      freshForSeconds: number | null;
      /** what `bodyHash` makes of the body, kept to recognise it next time */
      bodyHash: string;
    }
  | { status: "not-modified"; freshForSeconds: number | null }
  | {
      /** the body the last full fetch parsed, again (under new validators): not parsed again */
      status: "same-body";
      validators: Validators;
      /** max-age, or null (the RSS ttl is the one the last full fetch gave) */
      freshForSeconds: number | null;
    };

/**
 * A short hash of a fetched body with what else its parse depends on: the URL it came from
 * (relative links), its content type (charset) and opsfeed's version (the parser itself).
 */
export function bodyHash(body: Uint8Array, finalUrl: string, contentType: string | null): string {
  return createHash("sha256")
    .update(`${VERSION}\n${finalUrl}\n${contentType ?? ""}\n`)
    .update(body)
    .digest("base64url")
    .slice(0, 32);
}

/**
 * Creates the fetcher every feed request goes through, with opsfeed's network policy; `parse`
 * is the parser its feeds go through (default: inline).
 */
export function createFeedFetcher(
  options: Pick<
    SafeFetchOptions,
    "allowPrivateNetworks" | "userAgent" | "timeoutMs" | "maxBytes" | "proxy"
  >,
  parse?: FeedParser,
): FeedFetcher {
  const fetcher: FeedFetcher = (url, validators) =>
    safeFetch(url, {
      ...options,
      etag: validators?.etag ?? null,
      lastModified: validators?.lastModified ?? null,
    });
  if (parse) fetcher.parse = parse;
  return fetcher;
}

/**
 * Fetches and parses a feed; throws AppError (fetch.* or feed.*) when it cannot be read. With
 * `knownBodyHash` (the last full fetch's), a body that hashes the same is not parsed again.
 */
export async function fetchFeed(
  fetcher: FeedFetcher,
  url: string,
  validators: Validators | null,
  knownBodyHash: string | null = null,
): Promise<FetchedFeed> {
  const response = await fetcher(url, validators);
  if (response.status === "not-modified") {
    return { status: "not-modified", freshForSeconds: response.maxAgeSeconds ?? null };
  }
  const hash = bodyHash(response.body, response.url, response.contentType);
  if (hash === knownBodyHash) {
    return {
      status: "same-body",
      validators: { etag: response.etag, lastModified: response.lastModified },
      freshForSeconds: response.maxAgeSeconds ?? null,
    };
  }
  // Relative links resolve against where the feed really is, after redirects; the
  // Content-Type's charset wins over what the document says about its encoding.
  // A large body goes to a worker thread, so the event loop keeps answering meanwhile.
  const feed = await (fetcher.parse ?? parseInline)(
    response.body,
    response.url,
    response.contentType,
  );
  const ttlSeconds = feed.ttlMinutes ? feed.ttlMinutes * 60 : null;
  const maxAge = response.maxAgeSeconds ?? null;
  return {
    status: "ok",
    feed,
    validators: { etag: response.etag, lastModified: response.lastModified },
    finalUrl: response.url,
    freshForSeconds:
      maxAge === null && ttlSeconds === null ? null : Math.max(maxAge ?? 0, ttlSeconds ?? 0),
    bodyHash: hash,
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

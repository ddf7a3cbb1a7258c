import { isAppError } from "../errors.js";
import { type DocumentKind, decodeDocument } from "../feeds/charset.js";
import { type SafeFetchOptions, type SafeFetchResult, safeFetch } from "../feeds/safe-fetch.js";
import { readPageMetadata } from "./page-metadata.js";
import type { FetchedPage } from "./types.js";

/*
 * Fetching a web page someone saved, for its title and description: through the same safe
 * fetcher as feeds (private-address policy, redirects, proxy, time and size limits), then
 * decoded and parsed. Fetch, decode and parse stay separate steps; storing is the caller's.
 */

/** Fetches a page URL the safe way; tests and the app share the policy through it. */
export type PageFetcher = (url: string) => Promise<SafeFetchResult>;

/** How long a page may take, in all: a reply waits for it. */
export const PAGE_TIMEOUT_MS = 10_000;

/** How much of a page is read: its head is what matters, and a longer body is cut here. */
export const PAGE_MAX_BYTES = 1024 * 1024;

const PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

/** Creates the fetcher every page request goes through, with opsfeed's network policy. */
export function createPageFetcher(
  options: Pick<SafeFetchOptions, "allowPrivateNetworks" | "userAgent" | "proxy" | "timeoutMs">,
): PageFetcher {
  return (url) =>
    safeFetch(url, {
      timeoutMs: PAGE_TIMEOUT_MS,
      ...options,
      maxBytes: PAGE_MAX_BYTES,
      truncateAtMaxBytes: true,
      accept: PAGE_ACCEPT,
    });
}

/** How a body of this Content-Type declares its encoding, or null when it is not a web page. */
function pageKind(contentType: string | null, body: Buffer): DocumentKind | null {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "text/html") return "html";
  if (mediaType === "application/xhtml+xml") return "xml";
  if (mediaType !== "") return null;
  // No Content-Type at all: a body that starts like HTML is taken for HTML, as browsers do.
  const head = body.subarray(0, 512).toString("latin1").trimStart().toLowerCase();
  return head.startsWith("<!doctype html") || head.startsWith("<html") ? "html" : null;
}

/**
 * Fetches a page and reads what it says about itself. Never throws for the page's sake: a
 * refused address, an HTTP error, a time-out or a body that is not HTML is an `unreadable`
 * outcome with the reason's code.
 */
export async function fetchPage(fetcher: PageFetcher, url: string): Promise<FetchedPage> {
  let response: SafeFetchResult;
  try {
    response = await fetcher(url);
  } catch (error) {
    if (isAppError(error)) return { status: "unreadable", code: error.code, params: error.params };
    throw error;
  }
  // Sent without validators, a 304 is a broken server.
  if (response.status === "not-modified") {
    return { status: "unreadable", code: "fetch.http-status", params: { status: 304 } };
  }
  const kind = pageKind(response.contentType, response.body);
  if (kind === null) {
    const type = (response.contentType ?? "").split(";")[0]?.trim() || "unknown";
    return { status: "unreadable", code: "page.not-html", params: { type } };
  }
  const html = decodeDocument(response.body, response.contentType, kind);
  return { status: "read", url: response.url, metadata: readPageMetadata(html, response.url) };
}

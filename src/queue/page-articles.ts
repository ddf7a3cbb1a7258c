import { AppError } from "../errors.js";
import { canonicalizeUrl } from "../feeds/canonical-url.js";
import { shorten } from "../feeds/text.js";
import type { FetchedPage } from "../pages/types.js";
import {
  articleSummaries,
  findArticleIdByCanonicalUrl,
  insertPageArticle,
} from "../store/articles.js";
import type { Db } from "../store/database.js";
import type { ArticleSummary } from "./types.js";

/*
 * Any URL becomes an article: a link opsfeed has not seen is fetched (through the page
 * fetcher's network policy), its title and description read, and stored with a number like
 * a feed article, one per canonical URL. A page that cannot be read is still saved, under its
 * URL; the caller tells the user why it has no title.
 */

/** Longest title stored, as for feed titles. */
const TITLE_MAX = 300;

/** What finding or fetching an article needs. */
export interface PageArticleDeps {
  db: Db;
  clock: () => Date;
  /** fetches and reads a page; never throws for the page's sake */
  fetchPage: (url: string) => Promise<FetchedPage>;
}

/** An article named by URL, and how its page was read when opsfeed did not know it yet. */
export interface ResolvedArticle {
  article: ArticleSummary;
  /** null when opsfeed already knew the URL */
  page: FetchedPage | null;
}

/** The article with this URL's canonical form, if opsfeed knows it. */
export async function findKnownArticle(db: Db, url: string): Promise<ArticleSummary | null> {
  const canonical = canonicalizeUrl(url);
  const id = canonical ? await findArticleIdByCanonicalUrl(db, canonical) : null;
  return id === null ? null : ((await articleSummaries(db, [id])).get(id) ?? null);
}

/** The host without a leading `www.`, for telling whether two URLs are one site. */
function siteOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return null;
  }
}

/**
 * Where the article lives: the page's `<link rel=canonical>` when it points into the same
 * site (a page may not name another site's URL as its own: that would let any page title
 * someone else's article), else where the page really is after redirects.
 */
function identityOf(page: Extract<FetchedPage, { status: "read" }>): {
  url: string;
  canonical: string;
} | null {
  const claimed = page.metadata.canonicalUrl;
  if (claimed && siteOf(claimed) !== null && siteOf(claimed) === siteOf(page.url)) {
    const canonical = canonicalizeUrl(claimed);
    if (canonical) return { url: claimed, canonical };
  }
  const canonical = canonicalizeUrl(page.url);
  return canonical ? { url: page.url, canonical } : null;
}

/**
 * The article at `url`: the one opsfeed knows by its canonical form, or else the page,
 * fetched and stored as a new article (deduplicated by the canonical URL it turns out to have).
 */
export async function findOrFetchArticle(
  deps: PageArticleDeps,
  url: string,
): Promise<ResolvedArticle> {
  const canonical = canonicalizeUrl(url);
  if (!canonical) throw new AppError("reading.article-not-found", { article: url });
  const known = await findKnownArticle(deps.db, canonical);
  if (known) return { article: known, page: null };

  const page = await deps.fetchPage(url);
  const identity = (page.status === "read" ? identityOf(page) : null) ?? { url, canonical };
  const metadata = page.status === "read" ? page.metadata : null;
  const id = await insertPageArticle(
    deps.db,
    {
      canonicalUrl: identity.canonical,
      url: identity.url,
      title: metadata?.title ?? shorten(identity.url, TITLE_MAX),
      summary: metadata?.description ?? null,
    },
    deps.clock().toISOString(),
  );
  const article = (await articleSummaries(deps.db, [id])).get(id);
  if (!article) throw new AppError("reading.article-not-found", { article: url });
  return { article, page };
}

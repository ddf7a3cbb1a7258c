/*
 * Search's model: the one normalization of text (used for what is indexed and for what is
 * asked, by the store, the migration that builds the index and the use case alike), the
 * documents an article is indexed as, the limits of a query and the shape of a page of hits.
 * Pure functions over strings: no I/O. They live in this model file because the store and
 * the migrations may import only model files.
 */

import type { ArticleSummary } from "../queue/types.js";

/** Hits on one page of results. */
export const SEARCH_PAGE_SIZE = 10;
/** Longest query, in characters after normalization. */
export const MAX_QUERY_LENGTH = 200;
/** Most words in a query. */
export const MAX_QUERY_WORDS = 10;
/** The furthest offset a Next button may ask for (100 pages). */
export const MAX_SEARCH_OFFSET = 1000;

/**
 * Text as search compares it: NFKC (full-width ＡＢＣ/１２３ become ABC/123, half-width
 * ｶﾀｶﾅ becomes full-width カタカナ, the ideographic space a space) then lower-case.
 * Changing it means re-indexing: a migration must rebuild `search_documents`.
 */
export function normalizeSearchText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** The words of a query, normalized, each once, in the order typed. */
export function searchWords(query: string): string[] {
  const words = normalizeSearchText(query)
    .split(/\s+/u)
    .filter((word) => word !== "");
  return [...new Set(words)];
}

/** Length in characters (code points), as the trigram index counts them. */
export function charLength(word: string): number {
  return [...word].length;
}

/**
 * What one article is indexed as. The scope says who may find it through the document:
 * `""` holds the article's own text (title, summary) and comments made outside any channel;
 * a channel id holds the same text plus the comments made in that channel, found only by
 * those who may read it. Every word of a query must be in one document.
 */
export interface SearchDocument {
  scope: string;
  /** the normalized title, for ranking */
  title: string;
  /** the normalized text searched: title, summary and the scope's comments, one per line */
  body: string;
}

/** The scope of the article's own text. */
export const ARTICLE_SCOPE = "";

/** The documents of an article with its comments (oldest first). */
export function searchDocuments(
  article: { title: string; summary: string | null },
  comments: { channelId: string | null; text: string }[],
): SearchDocument[] {
  const title = normalizeSearchText(oneLine(article.title));
  const own = [title, normalizeSearchText(oneLine(article.summary ?? ""))];
  const byScope = new Map<string, string[]>([[ARTICLE_SCOPE, []]]);
  for (const comment of comments) {
    const scope = comment.channelId ?? ARTICLE_SCOPE;
    const lines = byScope.get(scope) ?? [];
    lines.push(normalizeSearchText(oneLine(comment.text)));
    byScope.set(scope, lines);
  }
  return [...byScope].map(([scope, lines]) => ({
    scope,
    title,
    body: [...own, ...lines].join("\n"),
  }));
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/**
 * The one- and two-character grams of a normalized text, as tokens of the SQLite short-word
 * index: every character (`u` and its code point in hex) and every pair of neighbours within
 * a run of non-space characters (the two code points joined by `x`). Hex keeps every token
 * a plain ASCII word whatever the characters, so the tokenizer never splits one.
 */
export function shortGramTokens(body: string): string {
  const tokens = new Set<string>();
  for (const run of body.split(/\s+/u)) {
    const points = [...run].map(hexOf);
    for (const [index, point] of points.entries()) {
      tokens.add(`u${point}`);
      const next = points[index + 1];
      if (next !== undefined) tokens.add(`${point}x${next}`);
    }
  }
  return [...tokens].join(" ");
}

/** The token of a word of one or two characters in the short-word index. */
export function shortGramToken(word: string): string {
  const points = [...word].map(hexOf);
  return points.length === 1 ? `u${points[0]}` : points.join("x");
}

function hexOf(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16);
}

/** One hit: the article and its place in the results (1 for the best). */
export interface SearchHit {
  position: number;
  article: ArticleSummary;
}

/** A page of search results. */
export interface SearchPage {
  /** the query as typed (plain text) */
  query: string;
  offset: number;
  hits: SearchHit[];
  /** more hits follow this page */
  hasMore: boolean;
}

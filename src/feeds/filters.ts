/** Per-subscription filters: which items of a feed a channel wants to see. */
import type { SubscriptionFilters } from "./types.js";

/** The fields of an item that filters look at. */
export interface FilterableItem {
  title: string;
  summary: string | null;
  bookmarkCount: number | null;
}

/**
 * Folds width and case so ＲＥＤＩＳ matches redis and half-width ｶﾅ matches カナ.
 * NFKC also unifies compatibility forms such as ① and 1.
 */
function foldForMatching(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

function usableWords(words: readonly string[]): string[] {
  return words.map((word) => foldForMatching(word.trim())).filter((word) => word !== "");
}

/** Which filter drops an item, with the facts: checked in this order, the first one tells. */
export type FilterVerdict =
  | { filter: "min"; minBookmarks: number; bookmarkCount: number }
  | { filter: "include"; words: string[] }
  | { filter: "exclude"; word: string };

/**
 * The filter that drops `item`, or null when it passes: too few bookmarks for `min:`, none of
 * the `include:` words, or the first `exclude:` word it contains.
 */
export function droppingFilter(
  item: FilterableItem,
  filters: SubscriptionFilters,
): FilterVerdict | null {
  const { minBookmarks } = filters;
  // Only Hatena feeds carry bookmark counts. Items without one (an ordinary blog or
  // status feed) are kept: a missing count says nothing about popularity.
  if (minBookmarks !== null && item.bookmarkCount !== null && item.bookmarkCount < minBookmarks) {
    return { filter: "min", minBookmarks, bookmarkCount: item.bookmarkCount };
  }
  const haystack = foldForMatching(`${item.title}\n${item.summary ?? ""}`);
  const includeWords = filters.include.map((word) => word.trim()).filter((word) => word !== "");
  const include = usableWords(filters.include);
  if (include.length > 0 && !include.some((word) => haystack.includes(word))) {
    return { filter: "include", words: includeWords };
  }
  const excluded = filters.exclude
    .map((word) => word.trim())
    .find((word) => word !== "" && haystack.includes(foldForMatching(word)));
  return excluded === undefined ? null : { filter: "exclude", word: excluded };
}

/** True when `item` passes `filters`: some include word, no exclude word, enough bookmarks. */
export function matchesFilters(item: FilterableItem, filters: SubscriptionFilters): boolean {
  return droppingFilter(item, filters) === null;
}

/** A word as it appears in a description: quoted when it holds a space, comma or quote. */
function describeWord(word: string): string {
  return /[\s,"]/.test(word) ? JSON.stringify(word) : word;
}

function describeWords(label: string, words: readonly string[]): string | null {
  const kept = words.map((word) => word.trim()).filter((word) => word !== "");
  return kept.length > 0 ? `${label}:${kept.map(describeWord).join(",")}` : null;
}

/** The filters in a neutral syntax, e.g. `include:redis,障害 exclude:pr min:10`; "" when none. */
export function describeFilters(filters: SubscriptionFilters): string {
  return [
    describeWords("include", filters.include),
    describeWords("exclude", filters.exclude),
    filters.minBookmarks !== null ? `min:${filters.minBookmarks}` : null,
  ]
    .filter((part): part is string => part !== null)
    .join(" ");
}

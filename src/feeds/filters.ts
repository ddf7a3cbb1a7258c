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

/** True when `item` passes `filters`: some include word, no exclude word, enough bookmarks. */
export function matchesFilters(item: FilterableItem, filters: SubscriptionFilters): boolean {
  const { minBookmarks } = filters;
  // Only Hatena feeds carry bookmark counts. Items without one (an ordinary blog or
  // status feed) are kept: a missing count says nothing about popularity.
  if (minBookmarks !== null && item.bookmarkCount !== null && item.bookmarkCount < minBookmarks) {
    return false;
  }
  const haystack = foldForMatching(`${item.title}\n${item.summary ?? ""}`);
  const include = usableWords(filters.include);
  if (include.length > 0 && !include.some((word) => haystack.includes(word))) return false;
  return !usableWords(filters.exclude).some((word) => haystack.includes(word));
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

/**
 * Hatena Bookmark shortcuts for `subscribe` and `preview`: `hatena:hot:<category>` is the
 * hot-entry RSS of a category, `hatena:search:<words>` the keyword search RSS. Pure: text in,
 * a feed URL (or why not) out.
 */

/** Where Hatena Bookmark serves its public RSS. */
export const HATENA_BOOKMARK_HOST = "https://b.hatena.ne.jp/";

/**
 * The hot-entry categories (人気エントリー): `all` is the overall list (総合), the others are
 * Hatena Bookmark's categories, as in `https://b.hatena.ne.jp/hotentry/<category>`.
 */
export const HATENA_HOT_CATEGORIES = [
  "all",
  "general",
  "social",
  "economics",
  "life",
  "knowledge",
  "it",
  "fun",
  "entertainment",
  "game",
] as const;

/** A hot-entry category. */
export type HatenaHotCategory = (typeof HATENA_HOT_CATEGORIES)[number];

/** What a shortcut expands to: the feed URL, or why it is not a usable shortcut. */
export type HatenaShortcut =
  | { ok: true; url: string }
  | { ok: false; reason: "unknown-category" | "missing-words" };

/** True when the text starts like a shortcut (`hatena:`, full-width colon too, any case). */
export function isHatenaShortcut(text: string): boolean {
  return /^hatena:/i.test(text.normalize("NFKC"));
}

/**
 * Expands `hatena:hot:<category>` and `hatena:search:<words>` (colons ASCII or full-width,
 * keywords in any case or width); null when the text is not a shortcut. Search words may be
 * separated by commas or `+`; they reach Hatena space-separated (all words required), folded
 * by NFKC as the filters fold them.
 */
export function expandHatenaShortcut(text: string): HatenaShortcut | null {
  // NFKC folds the full-width letters and colons an IME types (and half-width kana in words).
  const folded = text.normalize("NFKC").trim();
  const match = /^hatena:(hot|search):(.*)$/isu.exec(folded);
  if (!match) {
    if (/^hatena:hot$/i.test(folded)) return { ok: false, reason: "unknown-category" };
    if (/^hatena:search$/i.test(folded)) return { ok: false, reason: "missing-words" };
    return null;
  }
  const kind = (match[1] ?? "").toLowerCase();
  const rest = match[2] ?? "";
  if (kind === "hot") {
    const category = rest.trim().toLowerCase();
    if (!(HATENA_HOT_CATEGORIES as readonly string[]).includes(category)) {
      return { ok: false, reason: "unknown-category" };
    }
    return {
      ok: true,
      url:
        category === "all"
          ? `${HATENA_BOOKMARK_HOST}hotentry.rss`
          : `${HATENA_BOOKMARK_HOST}hotentry/${category}.rss`,
    };
  }
  const words = rest
    .split(/[,、，､+\s]+/u)
    .map((word) => word.trim())
    .filter((word) => word !== "");
  if (words.length === 0) return { ok: false, reason: "missing-words" };
  const query = encodeURIComponent(words.join(" "));
  return { ok: true, url: `${HATENA_BOOKMARK_HOST}search/text?q=${query}&mode=rss` };
}

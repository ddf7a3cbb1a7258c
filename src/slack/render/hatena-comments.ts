import type { HatenaComments } from "../../feeds/hatena-comments.js";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { ArticleSummary } from "../../queue/types.js";
import { articleLink } from "./article.js";
import { context, section } from "./blocks.js";
import { escapeSlackText, linkableUrl, quote, shortenEscaped, slackDate } from "./escape.js";
import { fallbackText, type Reply } from "./reply.js";

/** Most comments one reply shows; the rest are a link away. */
export const HATENA_MAX_COMMENTS = 20;
/** Longest comment shown (Hatena allows 100 characters; a stand-in may send more). */
const MAX_COMMENT = 1000;
const MAX_USER = 64;
const MAX_TAG = 40;
const MAX_TAGS = 10;

/** `[tag]` for each tag, escaped, in a code span so nothing in it is markup. */
function tagsText(tags: string[]): string {
  const shown = tags
    .slice(0, MAX_TAGS)
    .map((tag) => `\`${shortenEscaped(tag.replace(/`/g, "'"), MAX_TAG)}\``);
  return shown.length > 0 ? ` ${shown.join(" ")}` : "";
}

/**
 * The reply to `hatena` and the Hatena comments button: the article, its bookmark and comment
 * counts, then the newest comments with user, tags and time, within Slack's limits; or why
 * there are none.
 */
export function renderHatenaComments(
  locale: Locale,
  article: ArticleSummary,
  hatena: HatenaComments,
): Reply {
  const link = articleLink(article);
  const entryUrl = linkableUrl(hatena.entryUrl) ?? "";
  if (!hatena.hasEntry) {
    const text = t(locale, "hatena.no-entry", { article: link });
    return { text: fallbackText(text), blocks: [section("hatena-none", text)] };
  }
  if (hatena.comments.length === 0) {
    const text = t(locale, "hatena.none", {
      article: link,
      bookmarks: hatena.bookmarkCount,
      url: entryUrl,
    });
    return { text: fallbackText(text), blocks: [section("hatena-none", text)] };
  }
  const heading = t(locale, "hatena.heading", {
    article: link,
    bookmarks: hatena.bookmarkCount,
    comments: hatena.comments.length,
  });
  const blocks: NonNullable<Reply["blocks"]> = [section("hatena-heading", heading)];
  hatena.comments.slice(0, HATENA_MAX_COMMENTS).forEach((bookmark, index) => {
    blocks.push(
      section(
        `hatena-comment-${index}`,
        t(locale, "hatena.item", {
          user: shortenEscaped(bookmark.user, MAX_USER),
          tags: tagsText(bookmark.tags),
          date: bookmark.at ? slackDate(bookmark.at) : "",
          comment: quote(bookmark.comment, MAX_COMMENT),
        }),
      ),
    );
  });
  const more = hatena.comments.length - HATENA_MAX_COMMENTS;
  if (more > 0) {
    blocks.push(context("hatena-more", t(locale, "hatena.more", { count: more, url: entryUrl })));
  }
  return { text: fallbackText(`${heading}\n${escapeSlackText(hatena.entryUrl)}`), blocks };
}

import { displayUrl } from "../../feeds/canonical-url.js";
import type { FeedPreview } from "../../feeds/feed-service.js";
import type { ParsedItem } from "../../feeds/types.js";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import { articleTitle } from "./article.js";
import { context, section } from "./blocks.js";
import { escapeSlackText, linkableUrl, slackDate } from "./escape.js";
import { fallbackText, type Reply } from "./reply.js";

/** Most matching articles a preview lists; the rest are counted. */
export const PREVIEW_MAX_ITEMS = 10;

/** One matching article: its bookmark count (Hatena), title linked to its URL, and date. */
function itemLine(locale: Locale, item: ParsedItem): string {
  const title = articleTitle(item.title) || escapeSlackText(item.url);
  const url = linkableUrl(item.url);
  const link = url === null ? title : `<${url}|${title}>`;
  const count =
    item.bookmarkCount === null
      ? null
      : t(locale, "preview.bookmarks", { count: item.bookmarkCount });
  const comments = item.bookmarkCommentsUrl ? linkableUrl(item.bookmarkCommentsUrl) : null;
  const countText = count === null ? "" : comments ? `<${comments}|${count}> ` : `${count} `;
  const date = item.publishedAt ? ` · ${slackDate(item.publishedAt)}` : "";
  return `${countText}${link}${date}`;
}

/**
 * The reply to `preview`: the feed and its counts, what each filter dropped, then the first
 * matching articles in the feed's order and how many more there are. Nothing in it is stored.
 */
export function renderPreview(
  locale: Locale,
  preview: FeedPreview,
  previewedUrl: string,
  filters: string,
): Reply {
  const { feed, passing, dropped } = preview;
  const feedUrl = linkableUrl(displayUrl(previewedUrl));
  const heading = t(locale, "preview.heading", {
    title: articleTitle(feed.title) || escapeSlackText(feed.format),
    url: feedUrl ?? "",
    format: feed.format,
    count: feed.items.length,
    matching: passing.length,
  });
  // Without a usable site URL the title is shown unlinked.
  const headingText = feedUrl ? heading : heading.replace(/<\|([^>]*)>/, "$1");
  const filterLine = filters
    ? t(locale, "preview.dropped", { filters: escapeSlackText(filters), ...dropped })
    : t(locale, "preview.no-filters");
  const blocks: NonNullable<Reply["blocks"]> = [
    section("preview-heading", headingText),
    context("preview-filters", filterLine),
  ];
  const shown = passing.slice(0, PREVIEW_MAX_ITEMS);
  if (shown.length === 0) blocks.push(section("preview-none", t(locale, "preview.none-match")));
  shown.forEach((item, index) => {
    blocks.push(section(`preview-item-${index}`, itemLine(locale, item)));
  });
  const more = passing.length - shown.length;
  if (more > 0) blocks.push(context("preview-more", t(locale, "preview.more", { count: more })));
  return { text: fallbackText(`${headingText}\n${filterLine}`), blocks };
}

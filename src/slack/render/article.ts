import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import { ARTICLE_ACTIONS } from "../ids.js";
import { button } from "./blocks.js";
import { linkableUrl, shortenEscaped } from "./escape.js";

// Budgets that keep any section holding an article's link and source well under Slack's
// 3,000 characters, however long a feed makes its fields.
/** Longest escaped title. */
const MAX_TITLE = 500;
/** Longest escaped source name. */
const MAX_SOURCE = 150;

/** An article's title for mrkdwn: on one line, escaped, within its budget. */
export function articleTitle(title: string): string {
  return shortenEscaped(title.replace(/\s+/g, " ").trim(), MAX_TITLE);
}

/** A feed's name as an article's source: escaped, within its budget. */
export function articleSource(source: string): string {
  return shortenEscaped(source, MAX_SOURCE);
}

/** `*#42* <url|title>`: the article's number and escaped title, linked when the URL is usable. */
export function articleLink(article: { id: number; title: string; url: string }): string {
  const title = articleTitle(article.title);
  const url = linkableUrl(article.url);
  const number = `*#${article.id}*`;
  if (url === null) return title ? `${number} ${title}` : number;
  // An empty label would render as an empty link; Slack shows the URL itself instead.
  return title ? `${number} <${url}|${title}>` : `${number} <${url}>`;
}

/**
 * The _Hatena comments_ button of an article with a Hatena Bookmark entry (a bookmark count or
 * a comment page from a Hatena feed), or null for any other article.
 */
export function hatenaCommentsButton(
  locale: Locale,
  article: { id: number; bookmarkCount: number | null; bookmarkCommentsUrl: string | null },
): types.Button | null {
  if (article.bookmarkCount === null && article.bookmarkCommentsUrl === null) return null;
  return button(ARTICLE_ACTIONS.hatena, t(locale, "hatena.button"), article.id);
}

/**
 * The article buttons (Read later, Assign, Comment, Done), each carrying the article id, in the
 * actions block `article-<id>`: under every article opsfeed posts in a channel.
 */
export function articleButtons(locale: Locale, articleId: number): types.KnownBlock {
  return {
    type: "actions",
    block_id: `article-${articleId}`,
    elements: [
      button(ARTICLE_ACTIONS.readLater, t(locale, "digest.button.read-later"), articleId),
      button(ARTICLE_ACTIONS.assign, t(locale, "digest.button.assign"), articleId),
      button(ARTICLE_ACTIONS.comment, t(locale, "digest.button.comment"), articleId),
      button(ARTICLE_ACTIONS.done, t(locale, "digest.button.done"), articleId),
    ],
  };
}

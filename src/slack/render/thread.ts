import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import { section } from "./blocks.js";
import { mention, quote } from "./escape.js";
import { COMMENT_HEADING_ROOM } from "./queue-replies.js";
import { fallbackText, MAX_SECTION_TEXT, type Reply } from "./reply.js";

/** What the bot posts in a digest's thread for a comment: who commented, and the text quoted. */
export function renderCommentInThread(locale: Locale, userId: string, text: string): Reply {
  const byline = t(locale, "queue.comment.in-thread", { user: mention(userId) });
  const message = `${byline}\n${quote(text, MAX_SECTION_TEXT - COMMENT_HEADING_ROOM)}`;
  return { text: fallbackText(message), blocks: [section("comment", message)] };
}

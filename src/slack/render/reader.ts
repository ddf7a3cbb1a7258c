import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { ReaderPage } from "../../queue/types.js";
import { READER_ACTIONS, READER_HATENA_VIEW, READER_VIEW, type ReaderState } from "../ids.js";
import { articleLink, articleSource } from "./article.js";
import { button, context, plain, section } from "./blocks.js";
import { renderActivityBlock } from "./digest.js";
import { linkableUrl, shortenEscaped, shortenPlain, slackDate } from "./escape.js";
import type { Reply } from "./reply.js";

/*
 * The reader: one article of the user's read-later queue at a time, in a modal that
 * `views.update` keeps one modal while the user moves through the queue.
 */

type KnownBlock = types.KnownBlock;

/** Slack's limit on a modal's title and close label. */
const MAX_MODAL_TITLE = 24;
/** Longest summary shown (a section holds 3,000 characters). */
const MAX_SUMMARY = 2000;
/** Slack's limit on a button's URL. */
const MAX_BUTTON_URL = 3000;

/** The button that opens the reader (App Home, the `later` reply). */
export function readerOpenBlock(locale: Locale, blockId: string): KnownBlock {
  return {
    type: "actions",
    block_id: blockId,
    elements: [
      { ...button(READER_ACTIONS.open, t(locale, "reader.open-button"), "0"), style: "primary" },
    ],
  };
}

/** The reader modal showing `page` of `userId`'s queue. */
export function renderReader(locale: Locale, page: ReaderPage, userId: string): types.ModalView {
  const state: ReaderState = {
    userId,
    position: page.position,
    articleId: page.entry?.article.id ?? null,
  };
  return readerModal(locale, state, page.entry ? entryBlocks(locale, page) : emptyBlocks(locale));
}

/** The reader saying its state (forged or broken metadata) cannot be used, and nothing else. */
export function renderReaderRefusal(locale: Locale, userId: string, text: string): types.ModalView {
  return readerModal(locale, { userId, position: 0, articleId: null }, [
    section("reader-refused", text),
  ]);
}

function emptyBlocks(locale: Locale): KnownBlock[] {
  return [section("reader-empty", t(locale, "reader.empty"))];
}

function entryBlocks(locale: Locale, page: ReaderPage): KnownBlock[] {
  const entry = page.entry;
  if (!entry) return [];
  const { article } = entry;
  const details: string[] = [];
  if (article.source) details.push(articleSource(article.source));
  if (article.bookmarkCount !== null) {
    const bookmarks = t(locale, "digest.bookmarks", { count: article.bookmarkCount });
    const commentsUrl = entry.bookmarkCommentsUrl && linkableUrl(entry.bookmarkCommentsUrl);
    details.push(commentsUrl ? `<${commentsUrl}|${bookmarks}>` : bookmarks);
  }
  details.push(t(locale, "reader.saved-at", { time: slackDate(entry.savedAt) }));
  const blocks: KnownBlock[] = [
    section(`reader-article-${article.id}`, `${articleLink(article)}\n${details.join(" · ")}`),
  ];
  const summary = entry.summary?.trim();
  if (summary) blocks.push(section("reader-summary", shortenEscaped(summary, MAX_SUMMARY)));
  const activity = renderActivityBlock(locale, article.id, entry.activity);
  if (activity) blocks.push(activity);
  blocks.push(
    context(
      "reader-position",
      t(locale, "reader.position", { position: page.position + 1, total: page.total }),
    ),
  );

  const elements: types.Button[] = [];
  if (page.position > 0) {
    elements.push(button(READER_ACTIONS.previous, t(locale, "reader.previous"), "previous"));
  }
  if (page.position < page.total - 1) {
    elements.push(button(READER_ACTIONS.next, t(locale, "reader.next"), "next"));
  }
  elements.push(
    {
      ...button(READER_ACTIONS.done, t(locale, "digest.button.done"), article.id),
      style: "primary",
    },
    button(READER_ACTIONS.comment, t(locale, "digest.button.comment"), article.id),
  );
  // Hatena's "e": the article's Hatena Bookmark comments, for articles with a Hatena entry.
  if (article.bookmarkCount !== null || entry.bookmarkCommentsUrl !== null) {
    elements.push(button(READER_ACTIONS.hatena, t(locale, "hatena.button"), article.id));
  }
  const url = linkableUrl(article.url) === null ? null : new URL(article.url).href;
  if (url !== null && url.length <= MAX_BUTTON_URL) {
    elements.push({ ...button(READER_ACTIONS.link, t(locale, "reader.link"), article.id), url });
  }
  blocks.push({ type: "actions", block_id: "reader-actions", elements });
  return blocks;
}

/** The modal pushed over the reader with an article's Hatena comments (or why there are none). */
export function renderReaderHatena(locale: Locale, reply: Reply): types.ModalView {
  return {
    type: "modal",
    callback_id: READER_HATENA_VIEW,
    title: plain(shortenPlain(t(locale, "hatena.button"), MAX_MODAL_TITLE)),
    close: plain(shortenPlain(t(locale, "reader.close"), MAX_MODAL_TITLE)),
    blocks: (reply.blocks ?? [section("reader-hatena", reply.text)]) as KnownBlock[],
  };
}

function readerModal(locale: Locale, state: ReaderState, blocks: KnownBlock[]): types.ModalView {
  return {
    type: "modal",
    callback_id: READER_VIEW,
    private_metadata: JSON.stringify(state),
    title: plain(shortenPlain(t(locale, "reader.title"), MAX_MODAL_TITLE)),
    close: plain(shortenPlain(t(locale, "reader.close"), MAX_MODAL_TITLE)),
    blocks,
  };
}

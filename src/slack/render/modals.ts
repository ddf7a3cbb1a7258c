import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import { type ArticleSummary, MAX_COMMENT_LENGTH, MAX_NOTE_LENGTH } from "../../queue/types.js";
import { type ModalContext, QUEUE_VIEWS } from "../ids.js";
import { articleLink, articleSource } from "./article.js";
import { plain, section } from "./blocks.js";
import { shortenPlain } from "./escape.js";

/*
 * The modals behind the article buttons: Assign (teammate, note, due date) and Comment.
 */

type KnownBlock = types.KnownBlock;

/** Slack's limit on a modal's title, submit and close labels. */
const MAX_MODAL_TITLE = 24;

/** The modal behind an article's Assign button: teammate (required), note and due date. */
export function renderAssignModal(
  locale: Locale,
  article: ArticleSummary,
  context: ModalContext,
): types.ModalView {
  const ids = QUEUE_VIEWS.assign;
  return modal(locale, {
    callbackId: ids.callbackId,
    context,
    title: t(locale, "queue.modal.assign.title"),
    submit: t(locale, "queue.modal.assign.submit"),
    blocks: [
      section("article", articleSummaryText(article)),
      input(ids.assigneeBlock, t(locale, "queue.modal.assign.assignee-label"), {
        type: "users_select",
        action_id: ids.assigneeAction,
        placeholder: plain(t(locale, "queue.modal.assign.assignee-placeholder")),
      }),
      input(
        ids.noteBlock,
        t(locale, "queue.modal.assign.note-label"),
        {
          type: "plain_text_input",
          action_id: ids.noteAction,
          multiline: true,
          max_length: MAX_NOTE_LENGTH,
          placeholder: plain(t(locale, "queue.modal.assign.note-placeholder")),
        },
        { optional: true },
      ),
      input(
        ids.dueBlock,
        t(locale, "queue.modal.assign.due-label"),
        {
          type: "datepicker",
          action_id: ids.dueAction,
          placeholder: plain(t(locale, "queue.modal.assign.due-placeholder")),
        },
        { optional: true },
      ),
      {
        type: "context",
        block_id: "assign-hint",
        elements: [{ type: "mrkdwn", text: t(locale, "queue.modal.assign.hint") }],
      },
    ],
  });
}

/** The modal behind an article's Comment button: one required multi-line text. */
export function renderCommentModal(
  locale: Locale,
  article: ArticleSummary,
  context: ModalContext,
): types.ModalView {
  const ids = QUEUE_VIEWS.comment;
  return modal(locale, {
    callbackId: ids.callbackId,
    context,
    title: t(locale, "queue.modal.comment.title"),
    submit: t(locale, "queue.modal.comment.submit"),
    blocks: [
      section("article", articleSummaryText(article)),
      input(
        ids.textBlock,
        t(locale, "queue.modal.comment.label"),
        {
          type: "plain_text_input",
          action_id: ids.textAction,
          multiline: true,
          max_length: MAX_COMMENT_LENGTH,
          placeholder: plain(t(locale, "queue.modal.comment.placeholder")),
        },
        { hint: t(locale, "queue.modal.comment.hint") },
      ),
    ],
  });
}

/** An input block of a modal: required unless `optional`, with an optional hint under it. */
export function input(
  blockId: string,
  label: string,
  element: types.InputBlock["element"],
  options: { optional?: boolean; hint?: string } = {},
): types.InputBlock {
  return {
    type: "input",
    block_id: blockId,
    label: plain(label),
    optional: options.optional === true,
    ...(options.hint === undefined ? {} : { hint: plain(options.hint) }),
    element,
  };
}

/** The article's link and source, shown at the top of a modal. */
function articleSummaryText(article: ArticleSummary): string {
  const source = article.source ? `\n${articleSource(article.source)}` : "";
  return `${articleLink(article)}${source}`;
}

/** A modal with opsfeed's close label and the context it was opened from in its metadata. */
function modal(
  locale: Locale,
  options: {
    callbackId: string;
    context: ModalContext;
    title: string;
    submit: string;
    blocks: KnownBlock[];
  },
): types.ModalView {
  return {
    type: "modal",
    callback_id: options.callbackId,
    private_metadata: JSON.stringify(options.context),
    title: plain(shortenPlain(options.title, MAX_MODAL_TITLE)),
    submit: plain(shortenPlain(options.submit, MAX_MODAL_TITLE)),
    close: plain(shortenPlain(t(locale, "queue.modal.close"), MAX_MODAL_TITLE)),
    blocks: options.blocks,
  };
}

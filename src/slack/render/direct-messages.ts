import type { types } from "@slack/bolt";
import { type MessageKey, t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { AssignmentView } from "../../queue/types.js";
import { ARTICLE_ACTIONS } from "../ids.js";
import { articleLink, articleSource, articleTitle } from "./article.js";
import { button, context, section } from "./blocks.js";
import { escapeSlackText, mention, quote } from "./escape.js";
import { MAX_QUOTED_NOTE } from "./queue-items.js";
import { fallbackText, type Reply } from "./reply.js";

/*
 * Direct messages about assignments: to the assignee when assigned, to the assigner when it
 * is done, to the other party when it is cancelled.
 */

type KnownBlock = types.KnownBlock;

/** The assignee's direct message: who assigned what, note, due date, Done and Read later. */
export function renderAssignmentDm(locale: Locale, assignment: AssignmentView): Reply {
  const { article } = assignment;
  const assigner = mention(assignment.assignerId);
  const lines = [t(locale, "queue.dm.assigned", { user: assigner }), articleLink(article)];
  if (article.source) lines.push(articleSource(article.source));
  if (assignment.dueDate) {
    lines.push(t(locale, "queue.due", { date: escapeSlackText(assignment.dueDate) }));
  }
  if (assignment.note?.trim()) lines.push(quote(assignment.note, MAX_QUOTED_NOTE));
  const hint = t(locale, "queue.dm.hint", {
    done: t(locale, "digest.button.done"),
    readLater: t(locale, "digest.button.read-later"),
    user: assigner,
  });
  const blocks: KnownBlock[] = [
    section(`assignment-${assignment.id}-text`, lines.join("\n")),
    context(`assignment-${assignment.id}-hint`, hint),
  ];
  blocks.push({
    type: "actions",
    block_id: `assignment-${assignment.id}-actions`,
    elements: [
      {
        ...button(ARTICLE_ACTIONS.done, t(locale, "digest.button.done"), article.id),
        style: "primary",
      },
      button(ARTICLE_ACTIONS.readLater, t(locale, "digest.button.read-later"), article.id),
    ],
  });
  const text = t(locale, "queue.dm.fallback", {
    user: assigner,
    id: article.id,
    title: articleTitle(article.title),
  });
  return { text, blocks };
}

/** The assigner's notice that the assignee finished reading the article. */
export function renderAssignmentDoneNotice(locale: Locale, assignment: AssignmentView): Reply {
  return notice(
    `assignment-${assignment.id}-done`,
    t(locale, "queue.notice.done", {
      user: mention(assignment.assigneeId),
      article: articleLink(assignment.article),
    }),
  );
}

/** The assigner's notice that the assignee changed the assignment (note or due date), shown anew. */
export function renderAssignmentChangedNotice(
  locale: Locale,
  assignment: AssignmentView,
  changedBy: string,
): Reply {
  const lines = [
    t(locale, "queue.notice.changed-by-assignee", {
      user: mention(changedBy),
      article: articleLink(assignment.article),
    }),
  ];
  if (assignment.dueDate) {
    lines.push(t(locale, "queue.due", { date: escapeSlackText(assignment.dueDate) }));
  }
  if (assignment.note?.trim()) lines.push(quote(assignment.note, MAX_QUOTED_NOTE));
  return notice(`assignment-${assignment.id}-changed`, lines.join("\n"));
}

/** The notice to the other party that `cancelledBy` cancelled the assignment. */
export function renderAssignmentCancelledNotice(
  locale: Locale,
  assignment: AssignmentView,
  cancelledBy: string,
): Reply {
  const params = {
    user: mention(cancelledBy),
    article: articleLink(assignment.article),
    assignee: mention(assignment.assigneeId),
  };
  const key: MessageKey =
    cancelledBy === assignment.assignerId
      ? "queue.notice.cancelled-by-assigner"
      : cancelledBy === assignment.assigneeId
        ? "queue.notice.cancelled-by-assignee"
        : "queue.notice.cancelled-by-other";
  return notice(`assignment-${assignment.id}-cancelled`, t(locale, key, params));
}

/** A one-section message whose fallback is the same (already escaped) text. */
function notice(blockId: string, text: string): Reply {
  return { text: fallbackText(text), blocks: [section(blockId, text)] };
}

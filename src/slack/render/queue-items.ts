import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { AssignmentView, QueueItem } from "../../queue/types.js";
import { ARTICLE_ACTIONS, QUEUE_ACTIONS } from "../ids.js";
import { articleLink, articleSource } from "./article.js";
import { button, MAX_BUTTON_TEXT, mrkdwn, plain } from "./blocks.js";
import { escapeSlackText, mention, quote, shortenPlain, slackDate } from "./escape.js";

/*
 * The entries of the reading queue's lists, shared by replies and App Home: a queued article,
 * an assignment to the user, an assignment by the user.
 */

type KnownBlock = types.KnownBlock;

/** Slack's limit on a confirm dialog's text, and on its title. */
const MAX_CONFIRM_TEXT = 300;
const MAX_CONFIRM_TITLE = 100;
/** Slack's limit on a confirm dialog's button labels. */
const MAX_CONFIRM_BUTTON = 30;

/** Longest quoted note in a list item or a DM. */
export const MAX_QUOTED_NOTE = 1000;

/** A queue entry: link, source and when it was saved, with a Done button beside it. */
export function queueItemBlock(locale: Locale, prefix: string, item: QueueItem): KnownBlock {
  const { article } = item;
  const details = [
    ...(article.source ? [articleSource(article.source)] : []),
    t(locale, "queue.saved-at", { time: slackDate(item.savedAt) }),
  ];
  return {
    type: "section",
    block_id: `${prefix}-${article.id}`,
    text: mrkdwn(`${articleLink(article)}\n${details.join(" · ")}`),
    accessory: button(ARTICLE_ACTIONS.done, t(locale, "digest.button.done"), article.id),
  };
}

/** An assignment to the user: link, who assigned it, due date and note, with a Done button. */
export function assignedToMeBlock(
  locale: Locale,
  prefix: string,
  assignment: AssignmentView,
  today: string,
): KnownBlock {
  const from = t(locale, "queue.assigned.from", { user: mention(assignment.assignerId) });
  return {
    type: "section",
    block_id: `${prefix}-${assignment.id}`,
    text: mrkdwn(assignmentText(locale, assignment, from, today)),
    accessory: button(ARTICLE_ACTIONS.done, t(locale, "digest.button.done"), assignment.article.id),
  };
}

/** An assignment by the user: link, to whom, due date and note, with a confirmed Cancel button. */
export function assignedByMeBlock(
  locale: Locale,
  assignment: AssignmentView,
  today: string,
): KnownBlock {
  const assignee = mention(assignment.assigneeId);
  const to = t(locale, "queue.assigned.to", { user: assignee });
  const cancel: types.Button = {
    type: "button",
    action_id: QUEUE_ACTIONS.cancelAssignment,
    text: plain(shortenPlain(t(locale, "queue.cancel.button"), MAX_BUTTON_TEXT)),
    value: String(assignment.id),
    confirm: {
      title: plain(shortenPlain(t(locale, "queue.cancel.confirm-title"), MAX_CONFIRM_TITLE)),
      text: mrkdwn(
        shortenPlain(
          t(locale, "queue.cancel.confirm-text", { user: assignee, id: assignment.article.id }),
          MAX_CONFIRM_TEXT,
        ),
      ),
      confirm: plain(shortenPlain(t(locale, "queue.cancel.confirm"), MAX_CONFIRM_BUTTON)),
      deny: plain(shortenPlain(t(locale, "queue.cancel.deny"), MAX_CONFIRM_BUTTON)),
      style: "danger",
    },
  };
  return {
    type: "section",
    block_id: `assigned-by-me-${assignment.id}`,
    text: mrkdwn(assignmentText(locale, assignment, to, today)),
    accessory: cancel,
  };
}

/** Link; then from/to whom, when, and the due date; then the note quoted. */
export function assignmentText(
  locale: Locale,
  assignment: AssignmentView,
  party: string,
  today: string,
): string {
  const details = [party, slackDate(assignment.createdAt)];
  const due = dueText(locale, assignment.dueDate, today);
  if (due) details.push(due);
  const lines = [articleLink(assignment.article), details.join(" · ")];
  if (assignment.note?.trim()) lines.push(quote(assignment.note, MAX_QUOTED_NOTE));
  return lines.join("\n");
}

/** The due date, marked ⚠️ once it has passed; null when there is none. */
export function dueText(locale: Locale, dueDate: string | null, today: string): string | null {
  if (!dueDate) return null;
  // YYYY-MM-DD strings order like the dates they name.
  if (dueDate < today) return t(locale, "queue.overdue", { date: escapeSlackText(dueDate) });
  if (dueDate === today) return t(locale, "queue.due-today");
  return t(locale, "queue.due", { date: escapeSlackText(dueDate) });
}

/** The line that says how to fill an empty queue. */
export function queueEmptyText(locale: Locale): string {
  return t(locale, "queue.empty", { button: t(locale, "digest.button.read-later") });
}

import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { ReminderNumber } from "../../queue/reminders.js";
import type { ArticleSummary, AssignmentView } from "../../queue/types.js";
import { REMINDER_ACTIONS } from "../ids.js";
import { articleLink, articleSource, articleTitle } from "./article.js";
import { button, context, section } from "./blocks.js";
import { escapeSlackText, mention, quote } from "./escape.js";
import { MAX_QUOTED_NOTE } from "./queue-items.js";
import { type Reply, textReply } from "./reply.js";

/*
 * The due-date reminder DM (on the due day, and once more the day after) with Done and
 * Snooze 1 day, and what clicking them says in its place.
 */

type KnownBlock = types.KnownBlock;

/** The assignee's reminder of an open assignment's due date. */
export function renderReminder(
  locale: Locale,
  assignment: AssignmentView,
  number: ReminderNumber,
): Reply {
  const { article } = assignment;
  const date = escapeSlackText(assignment.dueDate ?? "");
  const lines = [
    t(locale, number === 1 ? "queue.reminder.due-today" : "queue.reminder.overdue", {
      date,
    }),
    articleLink(article),
  ];
  if (article.source) lines.push(articleSource(article.source));
  lines.push(t(locale, "queue.assigned.from", { user: mention(assignment.assignerId) }));
  if (assignment.note?.trim()) lines.push(quote(assignment.note, MAX_QUOTED_NOTE));
  const blocks: KnownBlock[] = [
    section(`reminder-${assignment.id}-text`, lines.join("\n")),
    {
      type: "actions",
      block_id: `reminder-${assignment.id}-actions`,
      elements: [
        {
          ...button(REMINDER_ACTIONS.done, t(locale, "digest.button.done"), assignment.id),
          style: "primary",
        },
        button(
          REMINDER_ACTIONS.snooze,
          t(locale, "queue.reminder.snooze"),
          `${assignment.id}:${assignment.dueDate ?? ""}`,
        ),
      ],
    },
    context(
      `reminder-${assignment.id}-hint`,
      t(locale, number === 1 ? "queue.reminder.hint" : "queue.reminder.hint-last"),
    ),
  ];
  const text = t(locale, "queue.reminder.fallback", {
    id: article.id,
    title: articleTitle(article.title),
    date,
  });
  return { text, blocks };
}

/** What the reminder says once its assignee clicked Done. */
export function renderReminderDone(locale: Locale, article: ArticleSummary): Reply {
  return textReply(t(locale, "queue.reminder.done", { article: articleLink(article) }));
}

/** What the reminder says once its assignee snoozed it (or had already). */
export function renderSnoozed(locale: Locale, assignment: AssignmentView, snoozed: boolean): Reply {
  return textReply(
    t(locale, snoozed ? "queue.reminder.snoozed" : "queue.reminder.snoozed-already", {
      article: articleLink(assignment.article),
      date: escapeSlackText(assignment.dueDate ?? ""),
    }),
  );
}

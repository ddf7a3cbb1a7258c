import type { App, BlockAction, ButtonAction, types } from "@slack/bolt";
import { z } from "zod";
import { AppError } from "../../errors.js";
import type { Locale } from "../../i18n/locale.js";
import type { ArticleSummary } from "../../queue/types.js";
import { answerUser, type SlackContext, type UserRequest } from "../context.js";
import { ARTICLE_ACTIONS, type ModalContext, QUEUE_ACTIONS, REMINDER_ACTIONS } from "../ids.js";
import { shownValue } from "../payload-values.js";
import { renderHatenaComments } from "../render/hatena-comments.js";
import { renderAssignModal, renderCommentModal } from "../render/modals.js";
import { renderCancelled, renderDone, renderQueue, renderSaved } from "../render/queue-replies.js";
import { renderReminderDone, renderSnoozed } from "../render/reminder.js";
import type { Reply } from "../render/reply.js";

/** What every button handler gets: who clicked, where, in which language. */
interface ButtonContext extends UserRequest {
  slack: SlackContext;
  channelId: string | null;
  value: string;
  triggerId: string;
}

/** What a button does: a reply for the clicking user (null: none), and whether it replaces theirs. */
type ButtonOutcome = { reply: Reply; replaceOriginal?: boolean } | null;

/** An id as opsfeed writes it into a button: a positive whole number, nothing else. */
const idValue = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number);
/** A queue page's offset as opsfeed writes it: 0 or a positive whole number of sane size. */
const offsetValue = z
  .string()
  .regex(/^(0|[1-9]\d{0,5})$/)
  .transform(Number);

/** The button's value read with `schema`, or AppError saying it is not one opsfeed made. */
function buttonValue<T>(context: ButtonContext, schema: z.ZodType<T, string>): T {
  const parsed = schema.safeParse(context.value);
  if (parsed.success) return parsed.data;
  context.logger.warn("button with a value opsfeed did not make", {
    value: context.value.slice(0, 100),
  });
  throw new AppError("payload.bad-value", { value: shownValue(context.value) });
}

/** A reminder's Snooze as opsfeed writes it: the assignment id and the due date it reminded of. */
const snoozeValue = z
  .string()
  .regex(/^[1-9]\d{0,9}:\d{4}-\d{2}-\d{2}$/)
  .transform((value) => {
    const [id = "", date = ""] = value.split(":");
    return { assignmentId: Number(id), dueDate: date };
  });

/** The article a button names, if the clicking user may see it. */
function articleFromValue(context: ButtonContext): Promise<ArticleSummary> {
  return context.slack.services.reading.article(context.userId, {
    kind: "number",
    id: buttonValue(context, idValue),
  });
}

/** A button handler that opens `render`'s modal for the article, with the click's trigger id. */
function openArticleModal(
  render: (locale: Locale, article: ArticleSummary, context: ModalContext) => types.ModalView,
): (context: ButtonContext) => Promise<ButtonOutcome> {
  return async (context) => {
    const article = await articleFromValue(context);
    await context.slack.client.views.open({
      trigger_id: context.triggerId,
      view: render(context.locale, article, {
        articleId: article.id,
        channelId: context.channelId,
      }),
    });
    return null;
  };
}

/** The button handlers, by action id. */
const buttonHandlers: Record<string, (context: ButtonContext) => Promise<ButtonOutcome>> = {
  [ARTICLE_ACTIONS.readLater]: async (context) => {
    const article = await articleFromValue(context);
    const reading = context.slack.services.reading;
    const { added } = await reading.save(context.userId, context.channelId, article);
    return { reply: renderSaved(context.locale, article, added) };
  },
  [ARTICLE_ACTIONS.done]: async (context) => {
    const article = await articleFromValue(context);
    const { completedAssignment } = await context.slack.services.reading.done(
      context.userId,
      article,
    );
    return { reply: renderDone(context.locale, article, completedAssignment) };
  },
  [ARTICLE_ACTIONS.assign]: openArticleModal(renderAssignModal),
  [ARTICLE_ACTIONS.comment]: openArticleModal(renderCommentModal),
  [ARTICLE_ACTIONS.hatena]: async (context) => {
    const article = await articleFromValue(context);
    const comments = await context.slack.services.hatena.comments(article.url);
    return { reply: renderHatenaComments(context.locale, article, comments) };
  },
  [QUEUE_ACTIONS.cancelAssignment]: async (context) => {
    const assignmentId = buttonValue(context, idValue);
    const assignment = await context.slack.services.reading.cancel(context.userId, assignmentId);
    return { reply: renderCancelled(context.locale, assignment) };
  },
  [REMINDER_ACTIONS.done]: async (context) => {
    const { reminders, reading } = context.slack.services;
    const assignment = await reminders.ownOpenAssignment(
      context.userId,
      buttonValue(context, idValue),
    );
    await reading.done(context.userId, assignment.article);
    return { reply: renderReminderDone(context.locale, assignment.article), replaceOriginal: true };
  },
  [REMINDER_ACTIONS.snooze]: async (context) => {
    const { assignmentId, dueDate } = buttonValue(context, snoozeValue);
    const outcome = await context.slack.services.reminders.snooze(
      context.userId,
      assignmentId,
      dueDate,
    );
    return {
      reply: renderSnoozed(context.locale, outcome.assignment, outcome.snoozed),
      replaceOriginal: outcome.snoozed,
    };
  },
  [QUEUE_ACTIONS.queuePage]: async (context) => {
    const offset = buttonValue(context, offsetValue);
    const page = await context.slack.services.reading.queuePage(context.userId, offset);
    // The page replaces the list the user is looking at.
    return { reply: renderQueue(context.locale, page), replaceOriginal: true };
  },
};

/** Registers the article and queue buttons: ack at once, then act for the clicking user. */
export function registerArticleActions(app: App, slack: SlackContext): void {
  for (const [actionId, handle] of Object.entries(buttonHandlers)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const value = action.value ?? "";
      let replaceOriginal = false;
      const reply = await answerUser(slack, body.user.id, { action: actionId }, async (request) => {
        const outcome = await handle({
          ...request,
          slack,
          channelId: body.channel?.id ?? null,
          value,
          triggerId: body.trigger_id,
        });
        request.logger.info("button", { value: value.slice(0, 100) });
        replaceOriginal = outcome?.replaceOriginal === true;
        return outcome?.reply ?? null;
      });
      // Slack gives no response_url where there is nothing to answer (App Home).
      if (reply && body.response_url) {
        await respond({ response_type: "ephemeral", replace_original: replaceOriginal, ...reply });
      }
    });
  }
}

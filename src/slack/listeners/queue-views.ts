import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { AppError, isAppError } from "../../errors.js";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import { checkAssignmentDetails, checkCommentText } from "../../queue/reading.js";
import type { ArticleSummary } from "../../queue/types.js";
import { answerUser, type SlackContext } from "../context.js";
import { type ModalContext, QUEUE_VIEWS } from "../ids.js";
import { describeCodedError } from "../render/error-reply.js";
import { renderAssignReply, renderCommented } from "../render/queue-replies.js";
import type { Reply } from "../render/reply.js";

const modalContext = z.object({
  articleId: z.number().int().positive(),
  channelId: z.string().nullable(),
  url: z.string().max(4000).optional(),
});

type StateValues = ViewSubmitAction["view"]["state"]["values"];

function inputOf(values: StateValues, block: string, action: string) {
  return values[block]?.[action];
}

/** The article and channel a modal was opened for, or null when its metadata is unusable. */
function modalContextOf(view: ViewSubmitAction["view"]): ModalContext | null {
  try {
    const parsed = modalContext.safeParse(JSON.parse(view.private_metadata || "null"));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The modal's article, if the user may act on it: by its link when a message shortcut opened
 * the modal for one (it must still be the same article), else by number.
 */
async function modalArticle(
  slack: SlackContext,
  userId: string,
  context: ModalContext,
): Promise<ArticleSummary> {
  const { reading } = slack.services;
  if (context.url === undefined) {
    return reading.article(userId, { kind: "number", id: context.articleId });
  }
  const article = await reading.article(userId, { kind: "url", url: context.url });
  if (article.id !== context.articleId) {
    throw new AppError("reading.article-not-found", { article: `#${context.articleId}` });
  }
  return article;
}

/**
 * After the modal closed: resolves its article, carries out the action, and tells the user
 * how it went (or what went wrong) ephemerally in the channel the modal came from, if any.
 */
async function completeModal(
  slack: SlackContext,
  userId: string,
  context: ModalContext,
  act: (article: ArticleSummary, locale: Locale) => Promise<Reply | null>,
): Promise<void> {
  const message = await answerUser(slack, userId, {}, async ({ locale }) =>
    act(await modalArticle(slack, userId, context), locale),
  );
  // No confirmation for a replayed submission: the first one was confirmed.
  if (!message || !context.channelId) return;
  try {
    await slack.client.chat.postEphemeral({ channel: context.channelId, user: userId, ...message });
  } catch (error) {
    slack.logger.warn("could not confirm a modal", {
      user: userId,
      channel: context.channelId,
      error,
    });
  }
}

/** The words for a validation error, shown under the modal's field. */
function fieldError(locale: Locale, error: unknown): string | null {
  return isAppError(error) ? describeCodedError(locale, error.code, error.params) : null;
}

/**
 * Why the user may not act on the modal's article in the modal's channel, in words, or null.
 * The metadata came back from Slack, so it is checked again rather than trusted.
 */
async function boundaryRefusal(
  slack: SlackContext,
  userId: string,
  locale: Locale,
  context: ModalContext,
  channelRule: "requireChannel" | "refuseOutsider",
): Promise<string | null> {
  try {
    await modalArticle(slack, userId, context);
    // A comment is posted in its channel, which opsfeed must see; an assignment made in a
    // channel opsfeed cannot see (a DM between two people) is only refused to outsiders.
    if (context.channelId) await slack.services.access[channelRule](userId, context.channelId);
    return null;
  } catch (error) {
    const words = fieldError(locale, error);
    if (words) return words;
    throw error;
  }
}

/** Registers the assign and comment modals' submissions. */
export function registerQueueViews(app: App, slack: SlackContext): void {
  const { services } = slack;
  const assign = QUEUE_VIEWS.assign;
  app.view<ViewSubmitAction>(assign.callbackId, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const locale = await slack.directory.localeOf(userId);
    const context = modalContextOf(view);
    if (!context) {
      await ack({
        response_action: "errors",
        errors: { [assign.assigneeBlock]: t(locale, "payload.bad-modal") },
      });
      return;
    }
    const refusal = await boundaryRefusal(slack, userId, locale, context, "refuseOutsider");
    if (refusal) {
      await ack({ response_action: "errors", errors: { [assign.assigneeBlock]: refusal } });
      return;
    }
    const values = view.state.values;
    const assigneeId =
      inputOf(values, assign.assigneeBlock, assign.assigneeAction)?.selected_user ?? "";
    const note = inputOf(values, assign.noteBlock, assign.noteAction)?.value?.trim() || null;
    const dueDate = inputOf(values, assign.dueBlock, assign.dueAction)?.selected_date ?? null;
    try {
      checkAssignmentDetails(note, dueDate, services.clock());
    } catch (error) {
      const words = fieldError(locale, error);
      if (!words) throw error;
      const block =
        isAppError(error) &&
        (error.code === "reading.due-in-past" || error.code === "payload.bad-date")
          ? assign.dueBlock
          : assign.noteBlock;
      await ack({ response_action: "errors", errors: { [block]: words } });
      return;
    }
    try {
      await services.reading.checkAssignee(assigneeId);
    } catch (error) {
      const words = fieldError(locale, error);
      if (!words) throw error;
      await ack({ response_action: "errors", errors: { [assign.assigneeBlock]: words } });
      return;
    }
    await ack();
    await completeModal(slack, userId, context, async (article, locale) => {
      const outcome = await services.reading.recordAssignment({
        assignerId: userId,
        assigneeId,
        article,
        channelId: context.channelId,
        note,
        dueDate,
        // The view id is unique per modal: a resubmitted modal assigns (and DMs) once.
        requestKey: `view:${view.id}`,
      });
      return outcome.replayed ? null : renderAssignReply(locale, outcome);
    });
  });

  const comment = QUEUE_VIEWS.comment;
  app.view<ViewSubmitAction>(comment.callbackId, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const locale = await slack.directory.localeOf(userId);
    const context = modalContextOf(view);
    const text = inputOf(view.state.values, comment.textBlock, comment.textAction)?.value ?? "";
    try {
      if (!context) throw new Error("modal without its article");
      checkCommentText(text);
    } catch (error) {
      const words = fieldError(locale, error) ?? t(locale, "payload.bad-modal");
      await ack({ response_action: "errors", errors: { [comment.textBlock]: words } });
      return;
    }
    const refusal = await boundaryRefusal(slack, userId, locale, context, "requireChannel");
    if (refusal) {
      await ack({ response_action: "errors", errors: { [comment.textBlock]: refusal } });
      return;
    }
    await ack();
    await completeModal(slack, userId, context, async (article, locale) => {
      const { threaded } = await services.reading.comment({
        userId,
        channelId: context.channelId,
        article,
        text,
        // The modal's view id is unique per modal: a resubmitted modal comments once.
        dedupeKey: `view:${view.id}`,
      });
      return renderCommented(locale, article, threaded);
    });
  });
}

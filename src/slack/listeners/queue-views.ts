import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { isAppError } from "../../errors.js";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import { resolveArticle } from "../../queue/articles.js";
import { type ArticleSummary, type ModalContext, QUEUE_VIEWS } from "../../queue/types.js";
import type { Services } from "../../services.js";
import {
  checkAssignee,
  checkAssignmentDetails,
  checkCommentText,
  commentOnArticle,
  recordAssignment,
} from "../reading.js";
import { describeCodedError, errorReply } from "../render/error-reply.js";
import type { Reply } from "../render/reply.js";

const modalContext = z.object({
  articleId: z.number().int().positive(),
  channelId: z.string().nullable(),
});

type StateValues = ViewSubmitAction["view"]["state"]["values"];

function inputOf(values: StateValues, block: string, action: string) {
  return values[block]?.[action];
}

/** Tells the user the outcome of a modal: ephemerally in the channel it came from, if any. */
async function confirm(
  services: Services,
  userId: string,
  channelId: string | null,
  message: Reply,
) {
  if (!channelId) return;
  try {
    await services.slack.chat.postEphemeral({ channel: channelId, user: userId, ...message });
  } catch (error) {
    services.logger.warn("could not confirm a modal", { user: userId, channel: channelId, error });
  }
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
 * After the modal closed: resolves its article, carries out the action, and tells the user
 * how it went (or what went wrong) in the channel the modal came from.
 */
async function completeModal(
  services: Services,
  userId: string,
  locale: Locale,
  context: ModalContext,
  act: (article: ArticleSummary) => Promise<Reply>,
): Promise<void> {
  let message: Reply;
  try {
    message = await act(
      await resolveArticle(services.db, { kind: "number", id: context.articleId }),
    );
  } catch (error) {
    message = errorReply(locale, error, services.logger.child({ user: userId }));
  }
  await confirm(services, userId, context.channelId, message);
}

/** The words for a validation error, shown under the modal's field. */
function fieldError(locale: Locale, error: unknown): string | null {
  return isAppError(error) ? describeCodedError(locale, error.code, error.params) : null;
}

/** Registers the assign and comment modals' submissions. */
export function registerQueueViews(app: App, services: Services): void {
  const assign = QUEUE_VIEWS.assign;
  app.view<ViewSubmitAction>(assign.callbackId, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const locale = await services.localeOf(userId);
    const context = modalContextOf(view);
    if (!context) {
      await ack({
        response_action: "errors",
        errors: { [assign.assigneeBlock]: t(locale, "error.internal", { errorId: "metadata" }) },
      });
      return;
    }
    const values = view.state.values;
    const assigneeId =
      inputOf(values, assign.assigneeBlock, assign.assigneeAction)?.selected_user ?? "";
    const note = inputOf(values, assign.noteBlock, assign.noteAction)?.value?.trim() || null;
    const dueDate = inputOf(values, assign.dueBlock, assign.dueAction)?.selected_date ?? null;
    try {
      checkAssignmentDetails(services, note, dueDate);
    } catch (error) {
      const words = fieldError(locale, error);
      if (!words) throw error;
      const block =
        isAppError(error) && error.code === "reading.due-in-past"
          ? assign.dueBlock
          : assign.noteBlock;
      await ack({ response_action: "errors", errors: { [block]: words } });
      return;
    }
    try {
      await checkAssignee(services, assigneeId);
    } catch (error) {
      const words = fieldError(locale, error);
      if (!words) throw error;
      await ack({ response_action: "errors", errors: { [assign.assigneeBlock]: words } });
      return;
    }
    await ack();
    await completeModal(services, userId, locale, context, (article) =>
      recordAssignment(
        services,
        { assignerId: userId, assigneeId, article, channelId: context.channelId, note, dueDate },
        locale,
      ),
    );
  });

  const comment = QUEUE_VIEWS.comment;
  app.view<ViewSubmitAction>(comment.callbackId, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const locale = await services.localeOf(userId);
    const context = modalContextOf(view);
    const text = inputOf(view.state.values, comment.textBlock, comment.textAction)?.value ?? "";
    try {
      if (!context) throw new Error("modal without its article");
      checkCommentText(text);
    } catch (error) {
      const words =
        fieldError(locale, error) ?? t(locale, "error.internal", { errorId: "metadata" });
      await ack({ response_action: "errors", errors: { [comment.textBlock]: words } });
      return;
    }
    await ack();
    await completeModal(services, userId, locale, context, (article) =>
      commentOnArticle(
        services,
        // The modal's view id is unique per modal: a resubmitted modal comments once.
        { userId, channelId: context.channelId, article, text, dedupeKey: `view:${view.id}` },
        locale,
      ),
    );
  });
}

import type { App, BlockAction, ButtonAction, RespondFn, types } from "@slack/bolt";
import { z } from "zod";
import { ARTICLE_ACTIONS } from "../../digest/types.js";
import type { Locale } from "../../i18n/locale.js";
import { resolveArticle } from "../../queue/articles.js";
import { queuePage } from "../../queue/read-later.js";
import { type ArticleSummary, type ModalContext, QUEUE_ACTIONS } from "../../queue/types.js";
import type { Services } from "../../services.js";
import { cancelTeammateAssignment, finishArticle, saveArticle } from "../reading.js";
import { errorReply } from "../render/error-reply.js";
import { renderAssignModal, renderCommentModal, renderQueue } from "../render/queue.js";
import type { Reply } from "../render/reply.js";

/** What every button handler gets: who clicked, where, in which language. */
interface ButtonContext {
  services: Services;
  userId: string;
  channelId: string | null;
  locale: Locale;
  value: string;
  triggerId: string;
  /** null where Slack gives no response_url (App Home) */
  respond: RespondFn | null;
}

const positiveId = z.coerce.number().int().positive();

async function articleFromValue(services: Services, value: string): Promise<ArticleSummary> {
  const id = positiveId.parse(value);
  return resolveArticle(services.db, { kind: "number", id });
}

async function reply(context: ButtonContext, message: Reply, replaceOriginal = false) {
  if (!context.respond) return;
  await context.respond({
    response_type: "ephemeral",
    replace_original: replaceOriginal,
    ...message,
  });
}

/** A button handler that opens `render`'s modal for the article, with the click's trigger id. */
function openArticleModal(
  render: (locale: Locale, article: ArticleSummary, context: ModalContext) => types.ModalView,
): (context: ButtonContext) => Promise<void> {
  return async (context) => {
    const article = await articleFromValue(context.services, context.value);
    await context.services.slack.views.open({
      trigger_id: context.triggerId,
      view: render(context.locale, article, {
        articleId: article.id,
        channelId: context.channelId,
      }),
    });
  };
}

/** The button handlers, by action id. */
const buttonHandlers: Record<string, (context: ButtonContext) => Promise<void>> = {
  [ARTICLE_ACTIONS.readLater]: async (context) => {
    const article = await articleFromValue(context.services, context.value);
    await reply(
      context,
      await saveArticle(
        context.services,
        context.userId,
        context.channelId,
        article,
        context.locale,
      ),
    );
  },
  [ARTICLE_ACTIONS.done]: async (context) => {
    const article = await articleFromValue(context.services, context.value);
    await reply(
      context,
      await finishArticle(context.services, context.userId, article, context.locale),
    );
  },
  [ARTICLE_ACTIONS.assign]: openArticleModal(renderAssignModal),
  [ARTICLE_ACTIONS.comment]: openArticleModal(renderCommentModal),
  [QUEUE_ACTIONS.cancelAssignment]: async (context) => {
    const assignmentId = positiveId.parse(context.value);
    await reply(
      context,
      await cancelTeammateAssignment(
        context.services,
        context.userId,
        assignmentId,
        context.locale,
      ),
    );
  },
  [QUEUE_ACTIONS.queuePage]: async (context) => {
    const offset = z.coerce.number().int().min(0).parse(context.value);
    // The page replaces the list the user is looking at.
    await reply(
      context,
      renderQueue(context.locale, await queuePage(context.services.db, context.userId, offset)),
      true,
    );
  },
};

/** Registers the article and queue buttons: ack at once, then act for the clicking user. */
export function registerArticleActions(app: App, services: Services): void {
  for (const [actionId, handle] of Object.entries(buttonHandlers)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const userId = body.user.id;
      const logger = services.logger.child({ user: userId, action: actionId });
      const locale = await services.localeOf(userId);
      const context: ButtonContext = {
        services,
        userId,
        channelId: body.channel?.id ?? null,
        locale,
        value: action.value ?? "",
        triggerId: body.trigger_id,
        respond: body.response_url ? respond : null,
      };
      try {
        await handle(context);
        logger.info("button", { value: context.value });
      } catch (error) {
        const invalid = error instanceof z.ZodError;
        if (invalid) logger.warn("button with an unusable value", { value: context.value });
        await reply(
          context,
          errorReply(locale, invalid ? new Error("unusable button value") : error, logger),
        );
      }
    });
  }
}

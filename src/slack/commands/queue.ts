import { slackTextToPlain } from "../../commands/slack-text.js";
import { resolveArticle } from "../../queue/articles.js";
import { assignedLists } from "../../queue/assignments.js";
import { listComments } from "../../queue/comments.js";
import { queuePage } from "../../queue/read-later.js";
import { assignToTeammate, commentOnArticle, finishArticle, saveArticle } from "../reading.js";
import { renderAssigned, renderComments, renderQueue } from "../render/queue.js";
import type { CommandHandler } from "./registry.js";

/** `/opsfeed later`: the user's own queue, newest first. */
export const laterList: CommandHandler<"later-list"> = async ({ services, userId, locale }) =>
  renderQueue(locale, await queuePage(services.db, userId));

/** `/opsfeed later <article>`. */
export const laterAdd: CommandHandler<"later-add"> = async (context, command) => {
  const article = await resolveArticle(context.services.db, command.article);
  return saveArticle(context.services, context.userId, context.channelId, article, context.locale);
};

/** `/opsfeed done <article>`. */
export const done: CommandHandler<"done"> = async (context, command) => {
  const article = await resolveArticle(context.services.db, command.article);
  return finishArticle(context.services, context.userId, article, context.locale);
};

/** `/opsfeed assign <@user> <article> [note]`. */
export const assign: CommandHandler<"assign"> = async (context, command) => {
  const article = await resolveArticle(context.services.db, command.article);
  return assignToTeammate(
    context.services,
    {
      assignerId: context.userId,
      assigneeId: command.assignee.userId,
      article,
      channelId: context.channelId,
      note: command.note === null ? null : slackTextToPlain(command.note),
      dueDate: null,
    },
    context.locale,
  );
};

/** `/opsfeed assigned`. */
export const assigned: CommandHandler<"assigned"> = async ({ services, userId, locale }) =>
  renderAssigned(
    locale,
    await assignedLists(services.db, userId),
    services.clock().toISOString().slice(0, 10),
  );

/** `/opsfeed comment <article> <text>`. */
export const comment: CommandHandler<"comment"> = async (context, command) => {
  const article = await resolveArticle(context.services.db, command.article);
  return commentOnArticle(
    context.services,
    {
      userId: context.userId,
      channelId: context.channelId,
      article,
      text: slackTextToPlain(command.text),
      dedupeKey: context.requestId,
    },
    context.locale,
  );
};

/** `/opsfeed comments <article>`: oldest first. */
export const comments: CommandHandler<"comments"> = async ({ services, locale }, command) => {
  const article = await resolveArticle(services.db, command.article);
  return renderComments(locale, article, await listComments(services.db, article.id));
};

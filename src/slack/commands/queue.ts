import { slackTextToPlain } from "../../commands/slack-text.js";
import {
  renderAssigned,
  renderAssignReply,
  renderCommented,
  renderComments,
  renderDone,
  renderQueue,
} from "../render/queue-replies.js";
import { renderLinkSaved, withPageNote } from "../render/saved-links.js";
import type { CommandHandler } from "./registry.js";

/** `/opsfeed later`: the user's own queue, newest first. */
export const laterList: CommandHandler<"later-list"> = async ({ services, userId, locale }) =>
  renderQueue(locale, await services.reading.queuePage(userId));

/** `/opsfeed later <article>`: a URL opsfeed has not seen becomes an article first. */
export const laterAdd: CommandHandler<"later-add"> = async (context, command) => {
  const { reading, links } = context.services;
  const resolved = await links.articleFor(context.userId, command.article);
  const { added } = await reading.save(context.userId, context.channelId, resolved.article);
  return renderLinkSaved(context.locale, resolved, added);
};

/** `/opsfeed done <article>`. */
export const done: CommandHandler<"done"> = async (context, command) => {
  const { reading } = context.services;
  const article = await reading.article(context.userId, command.article);
  const { completedAssignment } = await reading.done(context.userId, article);
  return renderDone(context.locale, article, completedAssignment);
};

/** `/opsfeed assign <@user> <article> [note] [due:<date>]`: any URL, as for `later`. */
export const assign: CommandHandler<"assign"> = async (context, command) => {
  const { reading, links } = context.services;
  const { article, page } = await links.articleFor(context.userId, command.article);
  const outcome = await reading.assign({
    assignerId: context.userId,
    assigneeId: command.assignee.userId,
    article,
    channelId: context.channelId,
    note: command.note === null ? null : slackTextToPlain(command.note),
    dueDate: null,
    due: command.due,
    requestKey: context.requestId,
  });
  return withPageNote(context.locale, renderAssignReply(context.locale, outcome), page);
};

/** `/opsfeed assigned`. */
export const assigned: CommandHandler<"assigned"> = async ({ services, userId, locale }) =>
  renderAssigned(
    locale,
    await services.reading.assigned(userId),
    // "Today" and "overdue" are the viewer's own, in their time zone.
    await services.reading.todayOf(userId),
  );

/** `/opsfeed comment <article> <text>`: any URL, as for `later`. */
export const comment: CommandHandler<"comment"> = async (context, command) => {
  const { reading, links } = context.services;
  const { article, page } = await links.articleFor(context.userId, command.article);
  const { threaded } = await reading.comment({
    userId: context.userId,
    channelId: context.channelId,
    article,
    text: slackTextToPlain(command.text),
    dedupeKey: context.requestId,
  });
  return withPageNote(context.locale, renderCommented(context.locale, article, threaded), page);
};

/** `/opsfeed comments <article>`: oldest first. */
export const comments: CommandHandler<"comments"> = async (
  { services, userId, locale },
  command,
) => {
  const article = await services.reading.article(userId, command.article);
  return renderComments(locale, article, await services.reading.comments(userId, article.id));
};

import { AppError } from "../errors.js";
import { t } from "../i18n/catalog.js";
import type { Locale } from "../i18n/locale.js";
import { assignArticle, cancelAssignment } from "../queue/assignments.js";
import { addComment } from "../queue/comments.js";
import { markDone } from "../queue/done.js";
import { saveForLater } from "../queue/read-later.js";
import { type ArticleSummary, MAX_COMMENT_LENGTH, MAX_NOTE_LENGTH } from "../queue/types.js";
import type { Services } from "../services.js";
import { articleLink } from "./render/article.js";
import { type Reply, textReply } from "./render/reply.js";
import { slackErrorCode } from "./slack-errors.js";

/*
 * What users do with articles, shared by slash commands, buttons and modals: each calls one
 * domain function, then the Slack side effects (DMs, threads, App Home, digest line).
 */

/** Saves an article to the user's read-later queue (once, however often asked). */
export async function saveArticle(
  services: Services,
  userId: string,
  channelId: string | null,
  article: ArticleSummary,
  locale: Locale,
): Promise<Reply> {
  const added = await saveForLater(
    services.db,
    userId,
    article.id,
    channelId,
    services.clock().toISOString(),
  );
  if (added) {
    services.teamActivity.articleChanged(article.id);
    await services.teamActivity.refreshHomes([userId]);
  }
  return textReply(
    t(locale, added ? "reading.saved" : "reading.already-saved", { article: articleLink(article) }),
  );
}

/** Marks an article read by the user, completing an assignment of it to them. */
export async function finishArticle(
  services: Services,
  userId: string,
  article: ArticleSummary,
  locale: Locale,
): Promise<Reply> {
  const outcome = await markDone(services.db, userId, article.id, services.clock().toISOString());
  const assignment = outcome.completedAssignment;
  if (assignment) await services.teamActivity.tellAssignerDone(assignment);
  services.teamActivity.articleChanged(article.id);
  await services.teamActivity.refreshHomes(assignment ? [userId, assignment.assignerId] : [userId]);
  return textReply(
    assignment
      ? t(locale, "reading.done-assignment", {
          article: articleLink(article),
          assigner: assignment.assignerId,
        })
      : t(locale, "reading.done", { article: articleLink(article) }),
  );
}

/** Refuses bots, unknown and deactivated users as assignees, with a reason. */
export async function checkAssignee(services: Services, assigneeId: string): Promise<void> {
  try {
    const answer = await services.slack.users.info({ user: assigneeId });
    const user = answer.user;
    if (user?.is_bot || assigneeId === "USLACKBOT") {
      throw new AppError("reading.assignee-is-bot", { assignee: assigneeId });
    }
    if (!user || user.deleted)
      throw new AppError("reading.assignee-unknown", { assignee: assigneeId });
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (slackErrorCode(error) === "user_not_found") {
      throw new AppError("reading.assignee-unknown", { assignee: assigneeId });
    }
    throw error;
  }
}

/** An assignment request, from the command or the modal. */
export interface AssignRequest {
  assignerId: string;
  assigneeId: string;
  article: ArticleSummary;
  channelId: string | null;
  note: string | null;
  dueDate: string | null;
}

/** Checks a note and a due date; throws AppError with what is wrong. */
export function checkAssignmentDetails(
  services: Services,
  note: string | null,
  dueDate: string | null,
): void {
  if (note !== null && [...note].length > MAX_NOTE_LENGTH) {
    throw new AppError("reading.note-too-long", { length: [...note].length, max: MAX_NOTE_LENGTH });
  }
  // A day of slack: "today" differs across the team's time zones.
  const yesterday = new Date(services.clock().getTime() - 24 * 60 * 60 * 1000)
    .toISOString()
    .slice(0, 10);
  if (dueDate !== null && dueDate < yesterday)
    throw new AppError("reading.due-in-past", { date: dueDate });
}

/** Checks, then assigns an article to a teammate (the slash command's path). */
export async function assignToTeammate(
  services: Services,
  request: AssignRequest,
  locale: Locale,
): Promise<Reply> {
  checkAssignmentDetails(services, request.note, request.dueDate);
  await checkAssignee(services, request.assigneeId);
  return recordAssignment(services, request, locale);
}

/**
 * Assigns an already checked request (updating an existing assignment to the same person)
 * and DMs the assignee. The modal checks before it closes, so Slack is asked only once.
 */
export async function recordAssignment(
  services: Services,
  request: AssignRequest,
  locale: Locale,
): Promise<Reply> {
  const { assignment, created } = await assignArticle(
    services.db,
    {
      articleId: request.article.id,
      assigneeId: request.assigneeId,
      assignerId: request.assignerId,
      channelId: request.channelId,
      note: request.note,
      dueDate: request.dueDate,
    },
    services.clock().toISOString(),
  );
  await services.teamActivity.tellAssignee(assignment);
  services.teamActivity.articleChanged(request.article.id);
  await services.teamActivity.refreshHomes([request.assigneeId, request.assignerId]);
  return textReply(
    t(locale, created ? "reading.assigned" : "reading.assignment-updated", {
      article: articleLink(request.article),
      assignee: request.assigneeId,
    }),
  );
}

/** A comment request, from the command or the modal; `text` is plain text. */
export interface CommentRequest {
  userId: string;
  channelId: string | null;
  article: ArticleSummary;
  text: string;
  dedupeKey: string | null;
}

/** Checks a comment's text; throws AppError with what is wrong. */
export function checkCommentText(text: string): void {
  if (text.trim() === "") throw new AppError("reading.comment-empty", {});
  const length = [...text].length;
  if (length > MAX_COMMENT_LENGTH) {
    throw new AppError("reading.comment-too-long", { length, max: MAX_COMMENT_LENGTH });
  }
}

/** Stores a comment once and posts it in the thread of the digest that carried the article. */
export async function commentOnArticle(
  services: Services,
  request: CommentRequest,
  locale: Locale,
): Promise<Reply> {
  checkCommentText(request.text);
  const { created } = await addComment(
    services.db,
    {
      articleId: request.article.id,
      userId: request.userId,
      channelId: request.channelId,
      text: request.text.trim(),
      dedupeKey: request.dedupeKey,
    },
    services.clock().toISOString(),
  );
  let threaded = false;
  if (created && request.channelId) {
    threaded = await services.teamActivity.postCommentInDigestThread(
      request.article.id,
      request.channelId,
      request.userId,
      request.text.trim(),
    );
  }
  if (created) services.teamActivity.articleChanged(request.article.id);
  return textReply(
    t(locale, threaded ? "reading.commented-in-thread" : "reading.commented", {
      article: articleLink(request.article),
    }),
  );
}

/** Cancels an assignment (its assignee or assigner only) and tells the other party. */
export async function cancelTeammateAssignment(
  services: Services,
  userId: string,
  assignmentId: number,
  locale: Locale,
): Promise<Reply> {
  const assignment = await cancelAssignment(
    services.db,
    assignmentId,
    userId,
    services.clock().toISOString(),
  );
  await services.teamActivity.tellCancelled(assignment, userId);
  services.teamActivity.articleChanged(assignment.article.id);
  await services.teamActivity.refreshHomes([assignment.assigneeId, assignment.assignerId]);
  return textReply(
    t(locale, "reading.assignment-cancelled", {
      article: articleLink(assignment.article),
      assignee: assignment.assigneeId,
    }),
  );
}

import type { DigestLineRefresher } from "../digest/line-refresher.js";
import { AppError } from "../errors.js";
import { articleSummaries } from "../store/articles.js";
import { insertComment, listComments } from "../store/comments.js";
import { type Db, inTransaction } from "../store/database.js";
import { findDigestMessageTs } from "../store/digests.js";
import {
  countReadLater,
  deleteReadLater,
  insertArticleRead,
  insertReadLater,
  listReadLater,
} from "../store/reading.js";
import { resolveArticle } from "./articles.js";
import {
  assignArticle,
  assignedLists,
  cancelAssignment,
  completeAssignment,
} from "./assignments.js";
import {
  type ArticleRef,
  type ArticleSummary,
  type AssignedLists,
  type AssignmentView,
  type CommentView,
  type HomeContent,
  MAX_COMMENT_LENGTH,
  MAX_NOTE_LENGTH,
  QUEUE_PAGE_SIZE,
  type QueuePage,
} from "./types.js";

/** What Slack says about a workspace member, as far as the reading rules need it. */
export interface MemberInfo {
  isBot: boolean;
  deleted: boolean;
}

/** Looks people up in the workspace (the Slack layer implements it). */
export interface UserDirectory {
  /** the member, or null when the workspace has no such user; throws when Slack cannot be asked */
  member(userId: string): Promise<MemberInfo | null>;
}

/**
 * What the team hears beyond the reply (the Slack layer implements it). Each method logs its
 * own failure and never fails the user's action.
 */
export interface ReadingNotifier {
  /** DMs the assignee about a new or updated assignment */
  assigned(assignment: AssignmentView): Promise<void>;
  /** DMs the assigner that the assignee finished reading */
  assignmentDone(assignment: AssignmentView): Promise<void>;
  /** DMs `recipient` that `cancelledBy` cancelled the assignment */
  assignmentCancelled(
    assignment: AssignmentView,
    cancelledBy: string,
    recipient: string,
  ): Promise<void>;
  /** posts a comment in a digest message's thread; true when it was posted */
  commentInThread(
    channelId: string,
    threadTs: string,
    userId: string,
    text: string,
  ): Promise<boolean>;
  /** re-publishes a user's App Home */
  home(userId: string, content: HomeContent): Promise<void>;
}

/** What the reading use cases need. */
export interface ReadingDeps {
  db: Db;
  clock: () => Date;
  directory: UserDirectory;
  notifier: ReadingNotifier;
  digestLines: DigestLineRefresher;
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

/** A comment request, from the command or the modal; `text` is plain text. */
export interface CommentRequest {
  userId: string;
  channelId: string | null;
  article: ArticleSummary;
  text: string;
  /** identifies the Slack request, so a redelivered request does not comment twice */
  dedupeKey: string | null;
}

/** Checks a note and a due date (not before yesterday); throws AppError with what is wrong. */
export function checkAssignmentDetails(note: string | null, dueDate: string | null, now: Date) {
  if (note !== null && [...note].length > MAX_NOTE_LENGTH) {
    throw new AppError("reading.note-too-long", { length: [...note].length, max: MAX_NOTE_LENGTH });
  }
  // A day of slack: "today" differs across the team's time zones.
  const yesterday = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  if (dueDate !== null && dueDate < yesterday)
    throw new AppError("reading.due-in-past", { date: dueDate });
}

/** Checks a comment's text; throws AppError with what is wrong. */
export function checkCommentText(text: string): void {
  if (text.trim() === "") throw new AppError("reading.comment-empty", {});
  const length = [...text].length;
  if (length > MAX_COMMENT_LENGTH) {
    throw new AppError("reading.comment-too-long", { length, max: MAX_COMMENT_LENGTH });
  }
}

/** What users do with articles: queue, done, assign, cancel, comment, and what they see of it. */
export function createReadingService(deps: ReadingDeps) {
  const { db } = deps;
  const now = () => deps.clock().toISOString();

  const refreshHomes = async (userIds: string[]) => {
    for (const userId of new Set(userIds)) {
      const [page, assigned] = await Promise.all([queuePage(userId), assignedLists(db, userId)]);
      await deps.notifier.home(userId, { page, assigned });
    }
  };

  /** A page of a user's queue, newest first; nobody else's entries ever appear. */
  const queuePage = async (
    userId: string,
    offset = 0,
    pageSize = QUEUE_PAGE_SIZE,
  ): Promise<QueuePage> => {
    const total = await countReadLater(db, userId);
    const safeOffset = Math.max(0, Math.min(offset, Math.max(0, total - 1)));
    const rows = await listReadLater(db, userId, safeOffset, pageSize);
    const summaries = await articleSummaries(
      db,
      rows.map((row) => row.articleId),
    );
    return {
      items: rows.flatMap((row) => {
        const article = summaries.get(row.articleId);
        return article ? [{ article, savedAt: row.savedAt }] : [];
      }),
      total,
      offset: safeOffset,
      pageSize,
    };
  };

  /** Refuses bots, unknown and deactivated users as assignees, with a reason. */
  const checkAssignee = async (assigneeId: string): Promise<void> => {
    const member = await deps.directory.member(assigneeId);
    if (member?.isBot || assigneeId === "USLACKBOT") {
      throw new AppError("reading.assignee-is-bot", { assignee: assigneeId });
    }
    if (!member || member.deleted) {
      throw new AppError("reading.assignee-unknown", { assignee: assigneeId });
    }
  };

  /** Assigns an already checked request and tells the assignee. */
  const recordAssignment = async (
    request: AssignRequest,
  ): Promise<{ assignment: AssignmentView; created: boolean }> => {
    const outcome = await assignArticle(
      db,
      {
        articleId: request.article.id,
        assigneeId: request.assigneeId,
        assignerId: request.assignerId,
        channelId: request.channelId,
        note: request.note,
        dueDate: request.dueDate,
      },
      now(),
    );
    await deps.notifier.assigned(outcome.assignment);
    deps.digestLines.articleChanged(request.article.id);
    await refreshHomes([request.assigneeId, request.assignerId]);
    return outcome;
  };

  return {
    queuePage,
    refreshHomes,
    checkAssignee,
    recordAssignment,

    /** The article a user means (number or URL), or AppError when there is none. */
    article: (ref: ArticleRef): Promise<ArticleSummary> => resolveArticle(db, ref),

    /** What is assigned to the user, and by the user to others, still open. */
    assigned: (userId: string): Promise<AssignedLists> => assignedLists(db, userId),

    /** An article's comments, oldest first. */
    comments: (articleId: number): Promise<CommentView[]> => listComments(db, articleId),

    /** Saves an article to the user's read-later queue (once, however often asked). */
    async save(userId: string, channelId: string | null, article: ArticleSummary) {
      const added = await insertReadLater(db, { userId, articleId: article.id, channelId }, now());
      if (added) {
        deps.digestLines.articleChanged(article.id);
        await refreshHomes([userId]);
      }
      return { added };
    },

    /**
     * Marks an article read by the user, in one transaction: it leaves their queue, the read
     * is recorded once, and an open assignment of it to them is completed (its assigner is
     * told). Doing it twice is harmless.
     */
    async done(userId: string, article: ArticleSummary) {
      const at = now();
      const completed = await inTransaction(db, async (trx) => {
        await deleteReadLater(trx, userId, article.id);
        await insertArticleRead(trx, userId, article.id, at);
        return completeAssignment(trx, article.id, userId, at);
      });
      if (completed) await deps.notifier.assignmentDone(completed);
      deps.digestLines.articleChanged(article.id);
      await refreshHomes(completed ? [userId, completed.assignerId] : [userId]);
      return { completedAssignment: completed };
    },

    /** Checks, then assigns an article to a teammate (the slash command's path). */
    async assign(request: AssignRequest) {
      checkAssignmentDetails(request.note, request.dueDate, deps.clock());
      await checkAssignee(request.assigneeId);
      return recordAssignment(request);
    },

    /** Cancels an assignment (its assignee or assigner only) and tells the other party. */
    async cancel(userId: string, assignmentId: number): Promise<AssignmentView> {
      const assignment = await cancelAssignment(db, assignmentId, userId, now());
      const other =
        userId === assignment.assignerId ? assignment.assigneeId : assignment.assignerId;
      await deps.notifier.assignmentCancelled(assignment, userId, other);
      deps.digestLines.articleChanged(assignment.article.id);
      await refreshHomes([assignment.assigneeId, assignment.assignerId]);
      return assignment;
    },

    /** Stores a comment once and posts it in the thread of the digest that carried the article. */
    async comment(request: CommentRequest) {
      checkCommentText(request.text);
      const text = request.text.trim();
      const { created } = await insertComment(
        db,
        {
          articleId: request.article.id,
          userId: request.userId,
          channelId: request.channelId,
          text,
          dedupeKey: request.dedupeKey,
        },
        now(),
      );
      let threaded = false;
      if (created && request.channelId) {
        const threadTs = await findDigestMessageTs(db, request.channelId, request.article.id);
        if (threadTs) {
          threaded = await deps.notifier.commentInThread(
            request.channelId,
            threadTs,
            request.userId,
            text,
          );
        }
      }
      if (created) deps.digestLines.articleChanged(request.article.id);
      return { threaded };
    },
  };
}

/** The reading use cases, as the composition root builds them. */
export type ReadingService = ReturnType<typeof createReadingService>;

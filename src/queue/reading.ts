import type { Access } from "../access/access.js";
import type { Outbox } from "../delivery/outbox.js";
import type { DeliveryResult, MessagePayload, OutgoingMessage } from "../delivery/types.js";
import type { DigestLineRefresher } from "../digest/line-refresher.js";
import { localDate } from "../digest/schedule.js";
import { AppError } from "../errors.js";
import type { Locale } from "../i18n/locale.js";
import { activityOf } from "../store/activity.js";
import { articleDetails } from "../store/articles.js";
import { findAssignment, recordAssignmentChange } from "../store/assignments.js";
import { insertComment, listComments } from "../store/comments.js";
import { type Db, inTransaction } from "../store/database.js";
import { findDigestMessageTs } from "../store/digests.js";
import {
  countReadLater,
  deleteReadLater,
  insertArticleRead,
  insertReadLater,
  queuePosition,
  readLaterChannel,
  readLaterPage,
} from "../store/reading.js";
import { findRealtimePostTs } from "../store/realtime.js";
import { claimRequest } from "../store/requests.js";
import { recordArticlesReached } from "../store/visibility.js";
import { resolveArticle } from "./articles.js";
import {
  assignArticle,
  assignedLists,
  assignmentView,
  cancelAssignment,
  completeAssignment,
  findOpenAssignerId,
} from "./assignments.js";
import { type DueDateForm, isCalendarDate, resolveDueDate } from "./due-dates.js";
import type { ReminderNumber } from "./reminders.js";
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
  type ReaderPage,
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
  /** the user's IANA time zone (their Slack `tz`), or the default when Slack does not say */
  timeZoneOf(userId: string): Promise<string>;
}

/**
 * The messages the team's actions cause, rendered by the Slack layer: direct messages in the
 * recipient's language, comments in digest threads in the workspace's.
 */
export interface ReadingMessages {
  /** the language to write to a user in */
  localeOf(userId: string): Promise<Locale>;
  /** the assignee's DM about a new or updated assignment */
  assigned(locale: Locale, assignment: AssignmentView): MessagePayload;
  /** the assigner's DM that the assignee changed the assignment (its note or due date) */
  assignmentChanged(locale: Locale, assignment: AssignmentView, changedBy: string): MessagePayload;
  /** the assigner's DM that the assignee finished reading */
  assignmentDone(locale: Locale, assignment: AssignmentView): MessagePayload;
  /** the other party's DM that `cancelledBy` cancelled the assignment */
  assignmentCancelled(
    locale: Locale,
    assignment: AssignmentView,
    cancelledBy: string,
  ): MessagePayload;
  /** a comment as posted in a digest message's thread */
  commentInThread(userId: string, text: string): MessagePayload;
  /** the assignee's due-date reminder (1: on the due day, 2: the day after) */
  reminder(locale: Locale, assignment: AssignmentView, number: ReminderNumber): MessagePayload;
}

/** Re-publishes a user's App Home (the Slack layer implements it; it logs its own failures). */
export type HomePublisher = (userId: string, content: HomeContent) => Promise<void>;

/** What the reading use cases need. */
export interface ReadingDeps {
  db: Db;
  access: Access;
  clock: () => Date;
  directory: UserDirectory;
  messages: ReadingMessages;
  outbox: Outbox;
  publishHome: HomePublisher;
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
  /** a `due:` form as typed: resolved against today in the assignee's time zone (wins over dueDate) */
  due?: DueDateForm | null;
  /** identifies the Slack request (trigger or view id), so a replayed request acts once */
  requestKey: string | null;
}

/** What assigning did: the assignment, whether it is new, and whether its DM went out. */
export type AssignOutcome =
  | {
      replayed: false;
      assignment: AssignmentView;
      created: boolean;
      /** the assignee changed their own assignment (its assigner was told) */
      byAssignee: boolean;
      dm: DeliveryResult;
      /** the assignee's time zone the `due:` form was read in, when one was given */
      dueTimeZone?: string;
    }
  /** the same request arrived before and was already carried out */
  | { replayed: true };

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
  if (dueDate !== null && !isCalendarDate(dueDate)) {
    throw new AppError("payload.bad-date", { date: dueDate.slice(0, 40) });
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

/** A direct message to a user, recorded in the outbox under `key`. */
function directMessage(key: string, userId: string, payload: MessagePayload): OutgoingMessage {
  return { key, kind: "dm", channelId: null, userId, threadTs: null, payload };
}

/** What users do with articles: queue, done, assign, cancel, comment, and what they see of it. */
export function createReadingService(deps: ReadingDeps) {
  const { db, messages, outbox, access } = deps;
  const now = () => deps.clock().toISOString();

  /** Sends messages recorded by a committed change; their outcome is the outbox's to finish. */
  const deliverAll = (keys: string[]) => Promise.all(keys.map((key) => outbox.deliver(key)));

  const refreshHomes = async (userIds: string[]) => {
    for (const userId of new Set(userIds)) {
      const [page, assigned] = await Promise.all([queuePage(userId), assignedLists(db, userId)]);
      await deps.publishHome(userId, { page, assigned });
    }
  };

  /** A page of a user's queue, newest first; nobody else's entries ever appear. */
  const queuePage = async (
    userId: string,
    offset = 0,
    pageSize = QUEUE_PAGE_SIZE,
  ): Promise<QueuePage> => {
    // One query for the usual case; only a page past the end (an empty queue, or one that
    // shrank since the buttons were drawn) is counted, clamped and read again.
    const first = await readLaterPage(db, userId, Math.max(0, offset), pageSize);
    if (first.total !== null) {
      return { items: first.items, total: first.total, offset: Math.max(0, offset), pageSize };
    }
    const total = await countReadLater(db, userId);
    const safeOffset = Math.max(0, Math.min(offset, Math.max(0, total - 1)));
    const page = total === 0 ? first : await readLaterPage(db, userId, safeOffset, pageSize);
    return { items: page.items, total, offset: safeOffset, pageSize };
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

  /**
   * Assigns an already checked request and tells the assignee, in one transaction with the
   * request's claim and the DM's outbox entry: a replayed request changes nothing and sends
   * nothing, and the DM goes out exactly once.
   */
  /**
   * The channel a request made there may record an article in: the channel itself when the
   * user may read it, null when opsfeed cannot see it (a DM between two people); refuses a
   * private channel the user is not in.
   */
  const recordableChannel = async (userId: string, channelId: string | null) => {
    if (channelId === null) return null;
    if (await access.mayRead(userId, channelId)) return channelId;
    await access.refuseOutsider(userId, channelId);
    return null;
  };

  /**
   * Assigns an already checked request and tells the other party, in one transaction with the
   * request's claim and the DM's outbox entry: a replayed request changes nothing and sends
   * nothing, and the DM goes out exactly once. An open assignment belongs to its assigner and
   * its assignee: someone else cannot take it over; the assignee may change it (the assigner
   * is told); every change is recorded with who made it.
   */
  const recordAssignment = async (request: AssignRequest): Promise<AssignOutcome> => {
    const channelId = await recordableChannel(request.assignerId, request.channelId);
    const existing = await findAssignment(db, request.article.id, request.assigneeId);
    const open = existing?.status === "open" ? existing : undefined;
    const byAssignee = request.assignerId === request.assigneeId && open !== undefined;
    if (open && !byAssignee && open.assigner_id !== request.assignerId) {
      throw new AppError("reading.assignment-taken", {
        assignee: request.assigneeId,
        assigner: open.assigner_id,
      });
    }
    // The assignee changing their own assignment keeps its assigner, who hears about it.
    const assignerId = byAssignee ? (open?.assigner_id ?? request.assignerId) : request.assignerId;
    const recipient = byAssignee ? assignerId : request.assigneeId;
    const locale = await messages.localeOf(recipient);
    const at = now();
    const recorded = await inTransaction(db, async (trx) => {
      if (request.requestKey && !(await claimRequest(trx, request.requestKey, at))) return null;
      const outcome = await assignArticle(
        trx,
        {
          articleId: request.article.id,
          assigneeId: request.assigneeId,
          assignerId,
          channelId,
          note: request.note,
          dueDate: request.dueDate,
        },
        at,
      );
      const { assignment } = outcome;
      await recordAssignmentChange(
        trx,
        {
          assignmentId: assignment.id,
          actorId: request.assignerId,
          action: open ? "updated" : "assigned",
        },
        at,
      );
      const key = `dm:assigned:${assignment.id}:${request.requestKey ?? at}`;
      const payload = byAssignee
        ? messages.assignmentChanged(locale, assignment, request.assignerId)
        : messages.assigned(locale, assignment);
      await outbox.enqueue(trx, [directMessage(key, recipient, payload)]);
      await deps.digestLines.articleChanged(request.article.id, trx);
      return { ...outcome, key };
    });
    if (!recorded) return { replayed: true };
    const [dm] = await deliverAll([recorded.key]);
    await refreshHomes([request.assigneeId, assignerId]);
    return {
      replayed: false,
      assignment: recorded.assignment,
      created: recorded.created,
      byAssignee,
      dm: dm as DeliveryResult,
    };
  };

  /** The user's date today (YYYY-MM-DD) in their own time zone. */
  const todayOf = async (userId: string): Promise<string> =>
    localDate(deps.clock(), await deps.directory.timeZoneOf(userId));

  return {
    queuePage,
    refreshHomes,
    todayOf,
    checkAssignee,
    recordAssignment,

    /**
     * The article a user means: by number only one they can see (else the same answer as for
     * a number that does not exist, so numbers cannot be walked); by URL any article opsfeed
     * knows, since the user has the link already.
     */
    async article(userId: string, ref: ArticleRef): Promise<ArticleSummary> {
      const article = await resolveArticle(db, ref);
      if (ref.kind === "number" && !(await access.canSeeArticle(userId, article.id))) {
        throw new AppError("reading.article-not-found", { article: `#${ref.id}` });
      }
      return article;
    },

    /**
     * One entry of the user's own queue for the reader, at `position` (newest first, moved
     * into the queue when out of it): the article, its text, and the team's activity as the
     * channel it was saved from shows it (a queue entry from no channel shows only activity
     * from no channel), so the reader reveals nothing of channels the user does not read.
     */
    async readerPage(userId: string, position: number): Promise<ReaderPage> {
      const page = await queuePage(userId, Math.max(0, position), 1);
      const item = page.items[0];
      if (!item) return { position: 0, total: page.total, entry: null };
      const id = item.article.id;
      const [details, saved] = await Promise.all([
        articleDetails(db, id),
        readLaterChannel(db, userId, id),
      ]);
      const channelId = saved?.channelId ?? null;
      const readable = channelId !== null && (await access.mayRead(userId, channelId));
      // "" matches no channel: only the activity made in no channel counts then.
      const activity = (await activityOf(db, [id], readable ? channelId : "")).get(id);
      return {
        position: page.offset,
        total: page.total,
        entry: {
          article: item.article,
          summary: details?.summary ?? null,
          bookmarkCommentsUrl: details?.bookmarkCommentsUrl ?? null,
          savedAt: item.savedAt,
          activity: activity ?? { savedCount: 0, commentCount: 0, assigneeIds: [], doneCount: 0 },
        },
      };
    },

    /**
     * Where the reader's article stands in the user's queue now (saves made meanwhile move
     * it), or `fallback` when it left the queue.
     */
    async readerPosition(userId: string, articleId: number | null, fallback: number) {
      const position = articleId === null ? null : await queuePosition(db, userId, articleId);
      return position ?? fallback;
    },

    /** What is assigned to the user, and by the user to others, still open. */
    assigned: (userId: string): Promise<AssignedLists> => assignedLists(db, userId),

    /** An article's comments the user may read (those of channels they may read), oldest first. */
    comments: async (userId: string, articleId: number): Promise<CommentView[]> =>
      access.readableComments(userId, await listComments(db, articleId)),

    /** Saves an article to the user's read-later queue (once, however often asked). */
    async save(userId: string, channelId: string | null, article: ArticleSummary) {
      const channel = await recordableChannel(userId, channelId);
      const at = now();
      const added = await inTransaction(db, async (trx) => {
        const inserted = await insertReadLater(
          trx,
          { userId, articleId: article.id, channelId: channel },
          at,
        );
        if (inserted) await deps.digestLines.articleChanged(article.id, trx);
        return inserted;
      });
      if (added) await refreshHomes([userId]);
      return { added };
    },

    /**
     * Marks an article read by the user, in one transaction: it leaves their queue, the read
     * is recorded once, and an open assignment of it to them is completed, its assigner's DM
     * recorded. Doing it twice is harmless.
     */
    async done(userId: string, article: ArticleSummary) {
      const at = now();
      // The assigner's language is looked up before the transaction that records their DM.
      const assignerId = await findOpenAssignerId(db, article.id, userId);
      const locale = assignerId ? await messages.localeOf(assignerId) : null;
      const done = await inTransaction(db, async (trx) => {
        await deleteReadLater(trx, userId, article.id);
        await insertArticleRead(trx, userId, article.id, at);
        const assignment = await completeAssignment(trx, article.id, userId, at);
        await deps.digestLines.articleChanged(article.id, trx);
        if (assignment) {
          const change = { assignmentId: assignment.id, actorId: userId, action: "done" };
          await recordAssignmentChange(trx, change, at);
        }
        if (!assignment || !locale) return { assignment, keys: [] };
        const key = `dm:done:${assignment.id}:${at}`;
        await outbox.enqueue(trx, [
          directMessage(key, assignment.assignerId, messages.assignmentDone(locale, assignment)),
        ]);
        return { assignment, keys: [key] };
      });
      await deliverAll(done.keys);
      const completed = done.assignment;
      await refreshHomes(completed ? [userId, completed.assignerId] : [userId]);
      return { completedAssignment: completed };
    },

    /** Checks, then assigns an article to a teammate (the slash command's path). */
    async assign(request: AssignRequest): Promise<AssignOutcome> {
      let dueDate = request.dueDate;
      let dueTimeZone: string | undefined;
      if (request.due) {
        dueTimeZone = await deps.directory.timeZoneOf(request.assigneeId);
        dueDate = resolveDueDate(request.due, localDate(deps.clock(), dueTimeZone));
      }
      checkAssignmentDetails(request.note, dueDate, deps.clock());
      await checkAssignee(request.assigneeId);
      const outcome = await recordAssignment({ ...request, dueDate });
      return outcome.replayed || !dueTimeZone ? outcome : { ...outcome, dueTimeZone };
    },

    /** Cancels an assignment (its assignee or assigner only) and tells the other party. */
    async cancel(userId: string, assignmentId: number): Promise<AssignmentView> {
      const at = now();
      const before = await assignmentView(db, assignmentId);
      // The other party's language is looked up before the transaction that records their DM.
      const other = before?.assignerId === userId ? before.assigneeId : before?.assignerId;
      const locale = other ? await messages.localeOf(other) : null;
      const { assignment, keys } = await inTransaction(db, async (trx) => {
        const cancelled = await cancelAssignment(trx, assignmentId, userId, at);
        await recordAssignmentChange(
          trx,
          { assignmentId: cancelled.id, actorId: userId, action: "cancelled" },
          at,
        );
        await deps.digestLines.articleChanged(cancelled.article.id, trx);
        const recipient =
          userId === cancelled.assignerId ? cancelled.assigneeId : cancelled.assignerId;
        if (!locale || recipient !== other) return { assignment: cancelled, keys: [] };
        const key = `dm:cancelled:${cancelled.id}:${at}`;
        await outbox.enqueue(trx, [
          directMessage(key, recipient, messages.assignmentCancelled(locale, cancelled, userId)),
        ]);
        return { assignment: cancelled, keys: [key] };
      });
      await deliverAll(keys);
      await refreshHomes([assignment.assigneeId, assignment.assignerId]);
      return assignment;
    },

    /**
     * Stores a comment once and, in the same transaction, records its post in the thread of
     * the digest that carried the article in this channel; then posts it.
     */
    async comment(request: CommentRequest) {
      checkCommentText(request.text);
      // A comment belongs to its channel: only someone who may read it comments there.
      if (request.channelId) await access.requireChannel(request.userId, request.channelId);
      const text = request.text.trim();
      const at = now();
      const recorded = await inTransaction(db, async (trx) => {
        const { comment, created } = await insertComment(
          trx,
          {
            articleId: request.article.id,
            userId: request.userId,
            channelId: request.channelId,
            text,
            dedupeKey: request.dedupeKey,
          },
          at,
        );
        if (!created) return null;
        if (request.channelId) {
          await recordArticlesReached(trx, request.channelId, [request.article.id], "comment", at);
        }
        await deps.digestLines.articleChanged(request.article.id, trx);
        // The thread of the digest message that carried the article, else of its realtime post.
        const threadTs = request.channelId
          ? ((await findDigestMessageTs(trx, request.channelId, request.article.id)) ??
            (await findRealtimePostTs(trx, request.channelId, request.article.id)))
          : null;
        if (!request.channelId || !threadTs) return null;
        const key = `thread:comment:${comment.id}`;
        await outbox.enqueue(trx, [
          {
            key,
            kind: "thread",
            channelId: request.channelId,
            userId: null,
            threadTs,
            payload: messages.commentInThread(request.userId, text),
          },
        ]);
        return key;
      });
      const [posted] = recorded ? await deliverAll([recorded]) : [];
      return { threaded: posted?.status === "sent" };
    },
  };
}

/** The reading use cases, as the composition root builds them. */
export type ReadingService = ReturnType<typeof createReadingService>;

import type { types } from "@slack/bolt";
import { t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import type { AssignOutcome } from "../../queue/reading.js";
import type {
  ArticleSummary,
  AssignedLists,
  AssignmentView,
  CommentView,
  QueuePage,
} from "../../queue/types.js";
import { articleLink } from "./article.js";
import { context, header, section, uniqueBy } from "./blocks.js";
import { mention, shortenEscaped, slackDate } from "./escape.js";
import { fitLists, listBlocks, pagingBlocks } from "./lists.js";
import {
  assignedByMeBlock,
  assignedToMeBlock,
  queueEmptyText,
  queueItemBlock,
} from "./queue-items.js";
import { readerOpenBlock } from "./reader.js";
import { MAX_BLOCKS, MAX_SECTION_TEXT, type Reply, textReply } from "./reply.js";

/*
 * The replies to the reading queue's commands and buttons, seen only by the user who asked:
 * the queue, assignments, comments, and what saving, finishing, assigning, commenting and
 * cancelling did.
 */

type KnownBlock = types.KnownBlock;

/** Room kept in a comment's section for its author and time; the text gets the rest. */
export const COMMENT_HEADING_ROOM = 200;

/** The reply to `later`: one page of the user's read-later queue, with Done and paging buttons. */
export function renderQueue(locale: Locale, page: QueuePage): Reply {
  if (page.total === 0) {
    // A heading counting zero would only repeat what the empty state says.
    const empty = queueEmptyText(locale);
    return { text: empty, blocks: [section("queue-empty", empty)] };
  }
  const heading = t(locale, "queue.heading", { count: page.total });
  // header + the Read button + range line + one actions block per paging button
  const room = MAX_BLOCKS - 5;
  const items = uniqueBy(page.items, (item) => item.article.id).slice(0, room);
  const blocks: KnownBlock[] = [
    header("queue-header", heading),
    readerOpenBlock(locale, "queue-reader"),
  ];
  if (items.length === 0) blocks.push(section("queue-page-empty", t(locale, "queue.page-empty")));
  for (const item of items) blocks.push(queueItemBlock(locale, "queue-item", item));
  blocks.push(...pagingBlocks(locale, page, items.length));
  return { text: heading, blocks };
}

/** The reply to `assigned`: open assignments to the user (Done) and by the user (Cancel). */
export function renderAssigned(locale: Locale, lists: AssignedLists, today: string): Reply {
  const toMe = uniqueBy(lists.toMe, (assignment) => assignment.id);
  const byMe = uniqueBy(lists.byMe, (assignment) => assignment.id);
  const [toMeShown = 0, byMeShown = 0] = fitLists(
    [toMe, byMe].map((list) => ({ available: list.length, total: list.length })),
    MAX_BLOCKS - 2,
  );
  const blocks: KnownBlock[] = [
    header(
      "assigned-to-me-header",
      t(locale, "queue.assigned.to-me.heading", { count: toMe.length }),
    ),
    ...listBlocks({
      items: toMe,
      shown: toMeShown,
      blockOf: (assignment) => assignedToMeBlock(locale, "assigned-to-me", assignment, today),
      empty: () => section("assigned-to-me-empty", t(locale, "queue.assigned.to-me.empty")),
      more: (count) => context("assigned-to-me-more", t(locale, "queue.more", { count })),
    }),
    header(
      "assigned-by-me-header",
      t(locale, "queue.assigned.by-me.heading", { count: byMe.length }),
    ),
    ...listBlocks({
      items: byMe,
      shown: byMeShown,
      blockOf: (assignment) => assignedByMeBlock(locale, assignment, today),
      empty: () =>
        section(
          "assigned-by-me-empty",
          t(locale, "queue.assigned.by-me.empty", { button: t(locale, "digest.button.assign") }),
        ),
      more: (count) => context("assigned-by-me-more", t(locale, "queue.more", { count })),
    }),
  ];
  const text = t(locale, "queue.assigned.fallback", { toMe: toMe.length, byMe: byMe.length });
  return { text, blocks };
}

/**
 * The reply to `comments`: the article's comments oldest first, each with author and time.
 * When they do not all fit, the newest that fit are shown under a line counting the rest.
 */
export function renderComments(
  locale: Locale,
  article: ArticleSummary,
  comments: CommentView[],
): Reply {
  const unique = uniqueBy(comments, (comment) => comment.id);
  const heading = t(locale, "queue.comments.heading", {
    article: articleLink(article),
    count: unique.length,
  });
  const blocks: KnownBlock[] = [section("comments-heading", heading)];
  if (unique.length === 0) {
    blocks.push(section("comments-empty", t(locale, "queue.comments.empty", { id: article.id })));
    return { text: heading, blocks };
  }
  // All fit beside the heading, or the heading and the "not shown" line leave the rest.
  const room = unique.length <= MAX_BLOCKS - 1 ? MAX_BLOCKS - 1 : MAX_BLOCKS - 2;
  const shown = unique.slice(-room);
  const hidden = unique.length - shown.length;
  if (hidden > 0) {
    const key = hidden === 1 ? "queue.comments.hidden.one" : "queue.comments.hidden.other";
    blocks.push(context("comments-hidden", t(locale, key, { count: hidden })));
  }
  for (const comment of shown) {
    const byline = `${mention(comment.userId)} · ${slackDate(comment.createdAt)}`;
    const body = shortenEscaped(comment.text.trim(), MAX_SECTION_TEXT - COMMENT_HEADING_ROOM);
    blocks.push(section(`comment-${comment.id}`, `${byline}\n${body}`));
  }
  return { text: heading, blocks };
}

/** The reply to saving an article for later (`later <article>`, Read later). */
export function renderSaved(locale: Locale, article: ArticleSummary, added: boolean): Reply {
  return textReply(
    t(locale, added ? "reading.saved" : "reading.already-saved", { article: articleLink(article) }),
  );
}

/** The reply to marking an article read, naming the assigner told of a completed assignment. */
export function renderDone(
  locale: Locale,
  article: ArticleSummary,
  completedAssignment: AssignmentView | null,
): Reply {
  return textReply(
    completedAssignment
      ? t(locale, "reading.done-assignment", {
          article: articleLink(article),
          assigner: completedAssignment.assignerId,
        })
      : t(locale, "reading.done", { article: articleLink(article) }),
  );
}

/** The reply to assigning an article: what changed, and whether the assignee's DM went out. */
export function renderAssignReply(locale: Locale, outcome: AssignOutcome): Reply {
  if (outcome.replayed) return textReply(t(locale, "request.replayed"));
  const { assignment } = outcome;
  const lines = [
    outcome.byAssignee
      ? t(locale, "reading.assignment-changed-by-you", {
          article: articleLink(assignment.article),
          assigner: assignment.assignerId,
        })
      : t(locale, outcome.created ? "reading.assigned" : "reading.assignment-updated", {
          article: articleLink(assignment.article),
          assignee: assignment.assigneeId,
        }),
  ];
  if (assignment.dueDate) {
    lines.push(
      outcome.dueTimeZone
        ? t(locale, "reading.assigned-due-zone", {
            date: assignment.dueDate,
            zone: outcome.dueTimeZone,
          })
        : t(locale, "queue.due", { date: assignment.dueDate }),
    );
  }
  if (outcome.dm.status !== "sent") lines.push(t(locale, "reading.dm-pending"));
  return textReply(lines.join("\n"));
}

/** The reply to commenting, saying whether the comment also went to the digest's thread. */
export function renderCommented(locale: Locale, article: ArticleSummary, threaded: boolean): Reply {
  return textReply(
    t(locale, threaded ? "reading.commented-in-thread" : "reading.commented", {
      article: articleLink(article),
    }),
  );
}

/** The reply to cancelling an assignment. */
export function renderCancelled(locale: Locale, assignment: AssignmentView): Reply {
  return textReply(
    t(locale, "reading.assignment-cancelled", {
      article: articleLink(assignment.article),
      assignee: assignment.assigneeId,
    }),
  );
}

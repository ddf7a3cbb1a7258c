import type { types } from "@slack/bolt";
import { ARTICLE_ACTIONS } from "../../digest/types.js";
import { type MessageKey, t } from "../../i18n/catalog.js";
import type { Locale } from "../../i18n/locale.js";
import {
  type ArticleSummary,
  type AssignedLists,
  type AssignmentView,
  type CommentView,
  MAX_COMMENT_LENGTH,
  MAX_NOTE_LENGTH,
  type ModalContext,
  QUEUE_ACTIONS,
  QUEUE_VIEWS,
  type QueueItem,
  type QueuePage,
} from "../../queue/types.js";
import { articleLink, articleSource, articleTitle } from "./article.js";
import { button, context, header, MAX_BUTTON_TEXT, mrkdwn, plain, section } from "./blocks.js";
import {
  escapeSlackText,
  mention,
  shorten,
  shortenEscaped,
  shortenPlain,
  slackDate,
} from "./escape.js";
import { fallbackText, MAX_BLOCKS, MAX_SECTION_TEXT, type Reply } from "./reply.js";

type KnownBlock = types.KnownBlock;

/** Slack's limit on blocks in a view (App Home, modals). */
const MAX_VIEW_BLOCKS = 100;
/** Slack's limit on a confirm dialog's text, and on its title. */
const MAX_CONFIRM_TEXT = 300;
const MAX_CONFIRM_TITLE = 100;
/** Slack's limit on a confirm dialog's button labels. */
const MAX_CONFIRM_BUTTON = 30;
/** Slack's limit on a modal's title, submit and close labels. */
const MAX_MODAL_TITLE = 24;

// Budgets for the parts of a section, chosen so that link + details + quoted note always
// stay under MAX_SECTION_TEXT however long a feed or a user makes them.
/** Longest quoted note in a list item or a DM. */
const MAX_QUOTED_NOTE = 1000;
/** Room kept in a comment's section for its author and time; the text gets the rest. */
const COMMENT_HEADING_ROOM = 200;

/** The reply to `later`: one page of the user's read-later queue, with Done and paging buttons. */
export function renderQueue(locale: Locale, page: QueuePage): Reply {
  if (page.total === 0) {
    // A heading counting zero would only repeat what the empty state says.
    const empty = queueEmptyText(locale);
    return { text: empty, blocks: [section("queue-empty", empty)] };
  }
  const heading = t(locale, "queue.heading", { count: page.total });
  // header + range line + one actions block per paging button
  const room = MAX_BLOCKS - 4;
  const items = uniqueBy(page.items, (item) => item.article.id).slice(0, room);
  const blocks: KnownBlock[] = [header("queue-header", heading)];
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

/** What the bot posts in a digest's thread for a comment: who commented, and the text quoted. */
export function renderCommentInThread(locale: Locale, userId: string, text: string): Reply {
  const byline = t(locale, "queue.comment.in-thread", { user: mention(userId) });
  const message = `${byline}\n${quote(text, MAX_SECTION_TEXT - COMMENT_HEADING_ROOM)}`;
  return { text: fallbackText(message), blocks: [section("comment", message)] };
}

/** The assignee's direct message: who assigned what, note, due date, Done and Read later. */
export function renderAssignmentDm(locale: Locale, assignment: AssignmentView): Reply {
  const { article } = assignment;
  const assigner = mention(assignment.assignerId);
  const lines = [t(locale, "queue.dm.assigned", { user: assigner }), articleLink(article)];
  if (article.source) lines.push(articleSource(article.source));
  if (assignment.dueDate) {
    lines.push(t(locale, "queue.due", { date: escapeSlackText(assignment.dueDate) }));
  }
  if (assignment.note?.trim()) lines.push(quote(assignment.note, MAX_QUOTED_NOTE));
  const hint = t(locale, "queue.dm.hint", {
    done: t(locale, "digest.button.done"),
    readLater: t(locale, "digest.button.read-later"),
    user: assigner,
  });
  const blocks: KnownBlock[] = [
    section(`assignment-${assignment.id}-text`, lines.join("\n")),
    context(`assignment-${assignment.id}-hint`, hint),
  ];
  blocks.push({
    type: "actions",
    block_id: `assignment-${assignment.id}-actions`,
    elements: [
      {
        ...button(ARTICLE_ACTIONS.done, t(locale, "digest.button.done"), article.id),
        style: "primary",
      },
      button(ARTICLE_ACTIONS.readLater, t(locale, "digest.button.read-later"), article.id),
    ],
  });
  const text = t(locale, "queue.dm.fallback", {
    user: assigner,
    id: article.id,
    title: articleTitle(article.title),
  });
  return { text, blocks };
}

/** The assigner's notice that the assignee finished reading the article. */
export function renderAssignmentDoneNotice(locale: Locale, assignment: AssignmentView): Reply {
  return notice(
    `assignment-${assignment.id}-done`,
    t(locale, "queue.notice.done", {
      user: mention(assignment.assigneeId),
      article: articleLink(assignment.article),
    }),
  );
}

/** The notice to the other party that `cancelledBy` cancelled the assignment. */
export function renderAssignmentCancelledNotice(
  locale: Locale,
  assignment: AssignmentView,
  cancelledBy: string,
): Reply {
  const params = {
    user: mention(cancelledBy),
    article: articleLink(assignment.article),
    assignee: mention(assignment.assigneeId),
  };
  const key: MessageKey =
    cancelledBy === assignment.assignerId
      ? "queue.notice.cancelled-by-assigner"
      : cancelledBy === assignment.assigneeId
        ? "queue.notice.cancelled-by-assignee"
        : "queue.notice.cancelled-by-other";
  return notice(`assignment-${assignment.id}-cancelled`, t(locale, key, params));
}

/** The modal behind an article's Assign button: teammate (required), note and due date. */
export function renderAssignModal(
  locale: Locale,
  article: ArticleSummary,
  context: ModalContext,
): types.ModalView {
  const ids = QUEUE_VIEWS.assign;
  return modal(locale, {
    callbackId: ids.callbackId,
    context,
    title: t(locale, "queue.modal.assign.title"),
    submit: t(locale, "queue.modal.assign.submit"),
    blocks: [
      section("article", articleSummaryText(article)),
      {
        type: "input",
        block_id: ids.assigneeBlock,
        label: plain(t(locale, "queue.modal.assign.assignee-label")),
        optional: false,
        element: {
          type: "users_select",
          action_id: ids.assigneeAction,
          placeholder: plain(t(locale, "queue.modal.assign.assignee-placeholder")),
        },
      },
      {
        type: "input",
        block_id: ids.noteBlock,
        label: plain(t(locale, "queue.modal.assign.note-label")),
        optional: true,
        element: {
          type: "plain_text_input",
          action_id: ids.noteAction,
          multiline: true,
          max_length: MAX_NOTE_LENGTH,
          placeholder: plain(t(locale, "queue.modal.assign.note-placeholder")),
        },
      },
      {
        type: "input",
        block_id: ids.dueBlock,
        label: plain(t(locale, "queue.modal.assign.due-label")),
        optional: true,
        element: {
          type: "datepicker",
          action_id: ids.dueAction,
          placeholder: plain(t(locale, "queue.modal.assign.due-placeholder")),
        },
      },
      {
        type: "context",
        block_id: "assign-hint",
        elements: [{ type: "mrkdwn", text: t(locale, "queue.modal.assign.hint") }],
      },
    ],
  });
}

/** The modal behind an article's Comment button: one required multi-line text. */
export function renderCommentModal(
  locale: Locale,
  article: ArticleSummary,
  context: ModalContext,
): types.ModalView {
  const ids = QUEUE_VIEWS.comment;
  return modal(locale, {
    callbackId: ids.callbackId,
    context,
    title: t(locale, "queue.modal.comment.title"),
    submit: t(locale, "queue.modal.comment.submit"),
    blocks: [
      section("article", articleSummaryText(article)),
      {
        type: "input",
        block_id: ids.textBlock,
        label: plain(t(locale, "queue.modal.comment.label")),
        optional: false,
        hint: plain(t(locale, "queue.modal.comment.hint")),
        element: {
          type: "plain_text_input",
          action_id: ids.textAction,
          multiline: true,
          max_length: MAX_COMMENT_LENGTH,
          placeholder: plain(t(locale, "queue.modal.comment.placeholder")),
        },
      },
    ],
  });
}

/** The App Home tab: the first page of the read-later queue and what is assigned to the user. */
export function renderHome(
  locale: Locale,
  page: QueuePage,
  assigned: AssignedLists,
  today: string,
): types.HomeView {
  const queue = uniqueBy(page.items, (item) => item.article.id);
  const toMe = uniqueBy(assigned.toMe, (assignment) => assignment.id);
  // header, two section headers, two dividers, the how-to line
  const [queueShown = 0, toMeShown = 0] = fitLists(
    [
      { available: queue.length, total: Math.max(page.total, queue.length) },
      { available: toMe.length, total: toMe.length },
    ],
    MAX_VIEW_BLOCKS - 6,
  );
  const blocks: KnownBlock[] = [
    header("home-header", t(locale, "queue.home.header")),
    header("home-queue-header", t(locale, "queue.heading", { count: page.total })),
    ...listBlocks({
      items: queue,
      shown: queueShown,
      blockOf: (item) => queueItemBlock(locale, "home-queue", item),
      empty: () => section("home-queue-empty", queueEmptyText(locale)),
      more: (count) => context("home-queue-more", t(locale, "queue.home.queue-more", { count })),
      // Counted against the whole queue, so the pages after the first are included.
      total: page.total,
    }),
    { type: "divider", block_id: "home-queue-end" },
    header(
      "home-assigned-header",
      t(locale, "queue.assigned.to-me.heading", { count: toMe.length }),
    ),
    ...listBlocks({
      items: toMe,
      shown: toMeShown,
      blockOf: (assignment) => assignedToMeBlock(locale, "home-assigned", assignment, today),
      empty: () => section("home-assigned-empty", t(locale, "queue.assigned.to-me.empty")),
      more: (count) =>
        context("home-assigned-more", t(locale, "queue.home.assigned-more", { count })),
    }),
    { type: "divider", block_id: "home-assigned-end" },
    context(
      "home-how-to",
      t(locale, "queue.home.how-to", {
        readLater: t(locale, "digest.button.read-later"),
        done: t(locale, "digest.button.done"),
        assign: t(locale, "digest.button.assign"),
      }),
    ),
  ];
  return { type: "home", blocks };
}

// ---------------------------------------------------------------------------------------
// Items

/** A queue entry: link, source and when it was saved, with a Done button beside it. */
function queueItemBlock(locale: Locale, prefix: string, item: QueueItem): KnownBlock {
  const { article } = item;
  const details = [
    ...(article.source ? [articleSource(article.source)] : []),
    t(locale, "queue.saved-at", { time: slackDate(item.savedAt) }),
  ];
  return {
    type: "section",
    block_id: `${prefix}-${article.id}`,
    text: mrkdwn(`${articleLink(article)}\n${details.join(" · ")}`),
    accessory: button(ARTICLE_ACTIONS.done, t(locale, "digest.button.done"), article.id),
  };
}

/** An assignment to the user: link, who assigned it, due date and note, with a Done button. */
function assignedToMeBlock(
  locale: Locale,
  prefix: string,
  assignment: AssignmentView,
  today: string,
): KnownBlock {
  const from = t(locale, "queue.assigned.from", { user: mention(assignment.assignerId) });
  return {
    type: "section",
    block_id: `${prefix}-${assignment.id}`,
    text: mrkdwn(assignmentText(locale, assignment, from, today)),
    accessory: button(ARTICLE_ACTIONS.done, t(locale, "digest.button.done"), assignment.article.id),
  };
}

/** An assignment by the user: link, to whom, due date and note, with a confirmed Cancel button. */
function assignedByMeBlock(locale: Locale, assignment: AssignmentView, today: string): KnownBlock {
  const assignee = mention(assignment.assigneeId);
  const to = t(locale, "queue.assigned.to", { user: assignee });
  const cancel: types.Button = {
    type: "button",
    action_id: QUEUE_ACTIONS.cancelAssignment,
    text: plain(shortenPlain(t(locale, "queue.cancel.button"), MAX_BUTTON_TEXT)),
    value: String(assignment.id),
    confirm: {
      title: plain(shortenPlain(t(locale, "queue.cancel.confirm-title"), MAX_CONFIRM_TITLE)),
      text: mrkdwn(
        shortenPlain(
          t(locale, "queue.cancel.confirm-text", { user: assignee, id: assignment.article.id }),
          MAX_CONFIRM_TEXT,
        ),
      ),
      confirm: plain(shortenPlain(t(locale, "queue.cancel.confirm"), MAX_CONFIRM_BUTTON)),
      deny: plain(shortenPlain(t(locale, "queue.cancel.deny"), MAX_CONFIRM_BUTTON)),
      style: "danger",
    },
  };
  return {
    type: "section",
    block_id: `assigned-by-me-${assignment.id}`,
    text: mrkdwn(assignmentText(locale, assignment, to, today)),
    accessory: cancel,
  };
}

/** Link; then from/to whom, when, and the due date; then the note quoted. */
function assignmentText(
  locale: Locale,
  assignment: AssignmentView,
  party: string,
  today: string,
): string {
  const details = [party, slackDate(assignment.createdAt)];
  const due = dueText(locale, assignment.dueDate, today);
  if (due) details.push(due);
  const lines = [articleLink(assignment.article), details.join(" · ")];
  if (assignment.note?.trim()) lines.push(quote(assignment.note, MAX_QUOTED_NOTE));
  return lines.join("\n");
}

/** The due date, marked ⚠️ once it has passed; null when there is none. */
function dueText(locale: Locale, dueDate: string | null, today: string): string | null {
  if (!dueDate) return null;
  // YYYY-MM-DD strings order like the dates they name.
  if (dueDate < today) return t(locale, "queue.overdue", { date: escapeSlackText(dueDate) });
  if (dueDate === today) return t(locale, "queue.due-today");
  return t(locale, "queue.due", { date: escapeSlackText(dueDate) });
}

/** The line that says how to fill an empty queue. */
function queueEmptyText(locale: Locale): string {
  return t(locale, "queue.empty", { button: t(locale, "digest.button.read-later") });
}

/** The article's link and source, shown at the top of a modal. */
function articleSummaryText(article: ArticleSummary): string {
  const source = article.source ? `\n${articleSource(article.source)}` : "";
  return `${articleLink(article)}${source}`;
}

// ---------------------------------------------------------------------------------------
// Paging and fitting within Slack's block limits

/**
 * The range line ("21–40 of 57") and the Previous/Next buttons, whose value is the offset
 * to show. Each button has its own actions block: both carry QUEUE_ACTIONS.queuePage, and
 * Slack wants an action_id unique within its block.
 */
function pagingBlocks(locale: Locale, page: QueuePage, shown: number): KnownBlock[] {
  const hasPrevious = page.offset > 0;
  const hasNext = page.offset + shown < page.total;
  if (!hasPrevious && !hasNext) return [];
  const blocks: KnownBlock[] = [];
  if (shown > 0) {
    const range = { from: page.offset + 1, to: page.offset + shown, total: page.total };
    blocks.push(context("queue-range", t(locale, "queue.range", range)));
  }
  if (hasPrevious) {
    const pageSize = Math.max(1, page.pageSize);
    // Past the end (the queue shrank meanwhile), "previous" leads back to the last page.
    const lastPage = Math.floor(Math.max(0, page.total - 1) / pageSize) * pageSize;
    const previous = page.offset >= page.total ? lastPage : Math.max(0, page.offset - pageSize);
    blocks.push(pagingActions("queue-page-previous", t(locale, "queue.button.previous"), previous));
  }
  if (hasNext) {
    blocks.push(
      pagingActions("queue-page-next", t(locale, "queue.button.next"), page.offset + shown),
    );
  }
  return blocks;
}

function pagingActions(blockId: string, label: string, offset: number): KnownBlock {
  return {
    type: "actions",
    block_id: blockId,
    elements: [
      {
        type: "button",
        action_id: QUEUE_ACTIONS.queuePage,
        text: plain(shortenPlain(label, MAX_BUTTON_TEXT)),
        value: String(offset),
      },
    ],
  };
}

/** A list's blocks: its shown items and a "…and N more" line, or its empty state. */
function listBlocks<T>(list: {
  items: T[];
  shown: number;
  blockOf: (item: T) => KnownBlock;
  empty: () => KnownBlock;
  more: (count: number) => KnownBlock;
  /** the list's full length when `items` is only part of it (a queue page) */
  total?: number;
}): KnownBlock[] {
  const total = Math.max(list.total ?? 0, list.items.length);
  if (total === 0) return [list.empty()];
  const blocks = list.items.slice(0, list.shown).map(list.blockOf);
  if (total > list.shown) blocks.push(list.more(total - list.shown));
  return blocks;
}

/**
 * How many items of each list to show so that all of them, with each list's "…and N more"
 * line or empty state, take at most `room` blocks. Of a list, `available` items are at hand
 * and `total` exist. The longest list gives way first, so a short one is never squeezed out.
 */
function fitLists(lists: { available: number; total: number }[], room: number): number[] {
  const shown = lists.map((list) => list.available);
  const cost = () =>
    lists.reduce((sum, list, index) => {
      const count = shown[index] ?? 0;
      return sum + (list.total === 0 ? 1 : count + (count < list.total ? 1 : 0));
    }, 0);
  while (cost() > room) {
    const longest = shown.indexOf(Math.max(...shown));
    if ((shown[longest] ?? 0) === 0) break;
    shown[longest] = (shown[longest] ?? 0) - 1;
  }
  return shown;
}

/** The items with any repeat left out: Slack refuses a message whose block_ids repeat. */
function uniqueBy<T>(items: T[], key: (item: T) => number): T[] {
  const seen = new Set<number>();
  return items.filter((item) => {
    const id = key(item);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

// ---------------------------------------------------------------------------------------
// Text

/** User text as a mrkdwn quote: escaped, every line marked `>`, in at most `max` characters. */
function quote(text: string, max: number): string {
  const normalized = text.replace(/\r\n?/g, "\n").trim();
  const encode = (part: string) => escapeSlackText(part).replace(/\n/g, "\n> ");
  return `> ${shorten(normalized, max - 2, encode)}`;
}

// ---------------------------------------------------------------------------------------
// Blocks

/** A one-section message whose fallback is the same (already escaped) text. */
function notice(blockId: string, text: string): Reply {
  return { text: fallbackText(text), blocks: [section(blockId, text)] };
}

/** A modal with opsfeed's close label and the context it was opened from in its metadata. */
function modal(
  locale: Locale,
  options: {
    callbackId: string;
    context: ModalContext;
    title: string;
    submit: string;
    blocks: KnownBlock[];
  },
): types.ModalView {
  return {
    type: "modal",
    callback_id: options.callbackId,
    private_metadata: JSON.stringify(options.context),
    title: plain(shortenPlain(options.title, MAX_MODAL_TITLE)),
    submit: plain(shortenPlain(options.submit, MAX_MODAL_TITLE)),
    close: plain(shortenPlain(t(locale, "queue.modal.close"), MAX_MODAL_TITLE)),
    blocks: options.blocks,
  };
}

/** An article as the reading queue shows it. */
export interface ArticleSummary {
  /** the number users type as `<article>` */
  id: number;
  title: string;
  url: string;
  /** the title of a feed that carried it, if any */
  source: string | null;
  bookmarkCount: number | null;
}

/** One entry of a user's read-later queue. */
export interface QueueItem {
  article: ArticleSummary;
  savedAt: string;
}

/** A page of a user's read-later queue, newest first. */
export interface QueuePage {
  items: QueueItem[];
  /** entries in the whole queue */
  total: number;
  offset: number;
  pageSize: number;
}

/** An assignment of an article by one teammate to another. */
export interface AssignmentView {
  id: number;
  article: ArticleSummary;
  assigneeId: string;
  assignerId: string;
  note: string | null;
  /** YYYY-MM-DD */
  dueDate: string | null;
  status: "open" | "done" | "cancelled";
  createdAt: string;
}

/** What `assigned` shows: open assignments to the user, and by the user to others. */
export interface AssignedLists {
  toMe: AssignmentView[];
  byMe: AssignmentView[];
}

/** A teammate's comment on an article; `text` is plain text (escape it for Slack). */
export interface CommentView {
  id: number;
  userId: string;
  text: string;
  createdAt: string;
}

/** Action ids of the reading queue's own buttons (the article buttons are ARTICLE_ACTIONS). */
export const QUEUE_ACTIONS = {
  /** value: the assignment id */
  cancelAssignment: "assignment_cancel",
  /** value: the offset of the queue page to show */
  queuePage: "queue_page",
} as const;

/** Callback ids and input ids of the modals. */
export const QUEUE_VIEWS = {
  assign: {
    callbackId: "assign_article",
    assigneeBlock: "assignee",
    assigneeAction: "assignee_select",
    noteBlock: "note",
    noteAction: "note_input",
    dueBlock: "due",
    dueAction: "due_date",
  },
  comment: {
    callbackId: "comment_article",
    textBlock: "comment",
    textAction: "comment_input",
  },
} as const;

/** What a modal carries in `private_metadata`: which article, from which channel. */
export interface ModalContext {
  articleId: number;
  channelId: string | null;
}

/** Longest note on an assignment, in characters. */
export const MAX_NOTE_LENGTH = 500;

/** Longest comment, in characters. */
export const MAX_COMMENT_LENGTH = 2000;

/** Queue entries per page in `later` and App Home. */
export const QUEUE_PAGE_SIZE = 20;

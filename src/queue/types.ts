import type { ArticleActivity } from "../digest/types.js";

/** An article as the user names it: the number shown beside it, or its URL. */
export type ArticleRef = { kind: "number"; id: number } | { kind: "url"; url: string };

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
  /** the channel it was made in (null: from App Home or a modal without one) */
  channelId: string | null;
  text: string;
  createdAt: string;
}

/** Longest note on an assignment, in characters. */
export const MAX_NOTE_LENGTH = 500;

/** Longest comment, in characters. */
export const MAX_COMMENT_LENGTH = 2000;

/** Queue entries per page in `later` and App Home. */
export const QUEUE_PAGE_SIZE = 20;

/** What a user's App Home shows: the first page of their queue and what is assigned to them. */
export interface HomeContent {
  page: QueuePage;
  assigned: AssignedLists;
}

/** What the reader modal shows: one entry of the user's queue at a position (newest first). */
export interface ReaderPage {
  /** 0-based position in the queue (0 = newest) */
  position: number;
  /** entries in the whole queue */
  total: number;
  /** null when the queue is empty */
  entry: {
    article: ArticleSummary;
    summary: string | null;
    /** Hatena Bookmark's comment page of the article, where known */
    bookmarkCommentsUrl: string | null;
    savedAt: string;
    /** the team's activity as the channel it was saved from shows it */
    activity: ArticleActivity;
  } | null;
}

/** Most articles in each list of the weekly report. */
export const REPORT_TOP = 5;

/** When a channel's weekly report is posted. */
export interface ReportScheduleView {
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  hour: number;
  minute: number;
  timeZone: string;
  /** ISO instant */
  nextAt: string;
}

/** An article of the report with how often it was saved or commented on. */
export interface ReportArticle {
  article: ArticleSummary;
  count: number;
}

/** A channel's reading report for a week. */
export interface WeeklyReport {
  channelId: string;
  /** the week: [from, to), ISO instants */
  from: string;
  to: string;
  /** the zone "overdue" was judged in */
  timeZone: string;
  postedCount: number;
  mostSaved: ReportArticle[];
  /** how many articles were saved at all (the list shows the top ones) */
  savedArticles: number;
  mostDiscussed: ReportArticle[];
  discussedArticles: number;
  assignments: { opened: number; done: number; overdue: number };
  failedFeeds: Array<{
    title: string;
    url: string;
    errorCode: string;
    errorParams: Record<string, string | number>;
    failures: number;
    failingSince: string | null;
  }>;
  schedule: ReportScheduleView | null;
}

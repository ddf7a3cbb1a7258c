import type { ColumnType, Generated, Selectable } from "kysely";

/*
 * Table types for the whole database, in one place. Timestamps are ISO-8601 UTC text and
 * booleans are 0/1 integers, so the same SQL runs on SQLite and Postgres.
 */

/** ISO-8601 UTC timestamp text, e.g. 2026-11-25T09:00:00.000Z. */
export type Timestamp = string;

/** A feed opsfeed fetches, shared by every channel subscribed to it. */
export interface FeedTable {
  id: Generated<number>;
  /** the feed's URL as subscribed (after redirects are not followed into identity) */
  url: string;
  title: string;
  site_url: string | null;
  format: string | null;
  etag: string | null;
  last_modified: string | null;
  last_attempt_at: Timestamp | null;
  last_success_at: Timestamp | null;
  /** catalog key of the last error, null when the last fetch worked */
  last_error_code: string | null;
  /** JSON object of the last error's parameters */
  last_error_params: string | null;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  failing_since: Timestamp | null;
  /** when the "this feed has been failing for a day" notice went out for the current outage */
  outage_notified_at: Timestamp | null;
  next_fetch_at: Timestamp | null;
  /** not fetched again before this (Cache-Control max-age, RSS ttl, Retry-After), realtime or not */
  fresh_until: Timestamp | null;
  /** the RSS ttl of the last full fetch (a 304 carries none) */
  ttl_minutes: number | null;
  /** hash of the body the last full fetch parsed (with its URL, content type, opsfeed's version) */
  body_hash: string | null;
  created_at: Timestamp;
}

/** A channel's subscription to a feed, with its filters. */
export interface SubscriptionTable {
  id: Generated<number>;
  channel_id: string;
  feed_id: number;
  /** JSON array of words; an article must contain one of them */
  include_words: string;
  /** JSON array of words; an article must contain none of them */
  exclude_words: string;
  min_bookmarks: number | null;
  /** 'digest' (its articles wait for the channel's digest) or 'realtime' (each is posted at once) */
  mode: ColumnType<string, string | undefined, string>;
  /** who a realtime post mentions: `<@U…>` or `<!subteam^S…>` */
  mention: string | null;
  /** set when the subscription went back to the digest: only articles first seen since are new */
  digest_since: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One article, identified by its canonical URL across every feed and channel. Its id is the number users type. */
export interface ArticleTable {
  id: Generated<number>;
  canonical_url: string;
  url: string;
  title: string;
  summary: string | null;
  author: string | null;
  published_at: Timestamp | null;
  first_seen_at: Timestamp;
  updated_at: Timestamp;
  bookmark_count: number | null;
  bookmark_comments_url: string | null;
  image_url: string | null;
  /** bumped each time a feed changes the title or text (an incident updated, then resolved) */
  revision: ColumnType<number, number | undefined, number>;
}

/** Which feeds carried which articles, and when each feed first did. */
export interface FeedArticleTable {
  feed_id: number;
  article_id: number;
  first_seen_at: Timestamp;
  /** a hash of what this feed last said of the article (title, text): a change shows once */
  content_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A channel's digest schedule and state. */
export interface ChannelTable {
  channel_id: string;
  digest_enabled: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>;
  digest_hour: number;
  digest_minute: number;
  /** 'daily' or 'weekdays' */
  digest_days: string;
  time_zone: string;
  next_digest_at: Timestamp | null;
  last_digest_at: Timestamp | null;
  /** the Slack error that stopped the last digest here (channel_not_found, invalid_blocks…) */
  last_error_code: string | null;
  /** 'permanent' (retrying cannot help) or 'parked' (failed the same way too often), with the code */
  last_error_kind: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One digest of one channel: claimed before posting so it is never posted twice. */
export interface DigestTable {
  id: Generated<number>;
  channel_id: string;
  /** 'claimed', 'posted' or 'failed' */
  status: string;
  /** 'schedule', 'command' or 'cli' */
  trigger: string;
  claimed_at: Timestamp;
  posted_at: Timestamp | null;
  error_code: string | null;
  article_count: number;
  overflow_count: number;
}

/** The articles of a digest; a channel is shown an article at most once. */
export interface DigestArticleTable {
  digest_id: number;
  channel_id: string;
  article_id: number;
  position: number;
  message_index: number;
}

/** The Slack messages a digest is posted as: which outbox message is which part. */
export interface DigestMessageTable {
  digest_id: number;
  message_index: number;
  channel_id: string;
  /** the outbox message that carries this part (its payload, ts and delivery state) */
  outbox_key: string;
  /** bumped on every team action on one of its articles */
  activity_version: ColumnType<number, number | undefined, number>;
  /** the activity_version the posted message last showed */
  shown_version: ColumnType<number, number | undefined, number>;
}

/** A message opsfeed posts on its own, recorded under its idempotency key before it is sent. */
export interface OutboxTable {
  key: string;
  /** 'digest', 'notice', 'dm', 'thread', … */
  kind: string;
  /** where it goes; null for a direct message whose conversation is not open yet */
  channel_id: string | null;
  /** the recipient of a direct message */
  user_id: string | null;
  thread_ts: string | null;
  /** the rendered message (JSON) */
  payload: string;
  /** 'pending', 'sent', 'failed' (permanently refused) or 'parked' (refused too often) */
  status: string;
  ts: string | null;
  /** consecutive refusals with the same error */
  attempts: ColumnType<number, number | undefined, number>;
  /** 1 while an attempt's outcome is unknown: Slack must be asked before it is sent again */
  uncertain: ColumnType<0 | 1, 0 | 1 | undefined, 0 | 1>;
  last_error: string | null;
  /** not before this time (rate limits, back-off, waiting to confirm) */
  next_attempt_at: Timestamp | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

/** Who is doing a piece of work until when; taken atomically, renewed, taken over once expired. */
export interface LeaseTable {
  name: string;
  owner: string;
  expires_at: Timestamp;
}

/** Which channel an article reached, and how: who may see the article follows from it. */
export interface ArticleChannelTable {
  channel_id: string;
  article_id: number;
  /** 'digest', 'realtime', 'save', 'comment', 'assign' */
  via: string;
  first_at: Timestamp;
}

/** An article a channel's realtime subscription posted as its own message. */
export interface RealtimePostTable {
  channel_id: string;
  article_id: number;
  subscription_id: number;
  /** the outbox message that carries the post (its payload, ts and delivery state) */
  outbox_key: string;
  /** when the article was published (else first seen): posts go out in this order */
  sort_at: Timestamp;
  /** the article revision the posted message shows (edited when a later one is posted) */
  shown_revision: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

/** A change of a realtime-posted article, posted as a reply in the post's thread. */
export interface RealtimeUpdateTable {
  outbox_key: string;
  channel_id: string;
  article_id: number;
  revision: number;
  created_at: Timestamp;
}

/** Who did what to an assignment, when. */
export interface AssignmentChangeTable {
  id: Generated<number>;
  assignment_id: number;
  actor_id: string;
  /** 'assigned', 'updated', 'done', 'cancelled' */
  action: string;
  created_at: Timestamp;
}

/** A Slack request already acted on (trigger id, view id), so a replay acts once. */
export interface RequestClaimTable {
  key: string;
  created_at: Timestamp;
}

/** A user's read-later queue (あとで読む). */
export interface ReadLaterTable {
  user_id: string;
  article_id: number;
  channel_id: string | null;
  saved_at: Timestamp;
}

/** Articles a user has marked done (read). */
export interface ArticleReadTable {
  user_id: string;
  article_id: number;
  read_at: Timestamp;
}

/** An article assigned by one teammate to another. */
export interface AssignmentTable {
  id: Generated<number>;
  article_id: number;
  assignee_id: string;
  assigner_id: string;
  channel_id: string | null;
  note: string | null;
  /** YYYY-MM-DD */
  due_date: string | null;
  /** 'open', 'done' or 'cancelled' */
  status: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: Timestamp | null;
  /** when the due date was last set: reminders whose time had passed by then are not sent */
  due_set_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

/** A due-date reminder recorded for an assignment (1: on the due day, 2: the day after), once. */
export interface ReminderTable {
  assignment_id: number;
  /** the due date it reminds of (a snooze moves the date, so it reminds anew) */
  due_date: string;
  /** 1 or 2 */
  number: number;
  outbox_key: string;
  created_at: Timestamp;
}

/** A channel's weekly report: when it is posted. */
export interface ReportScheduleTable {
  channel_id: string;
  /** 0 = Sunday … 6 = Saturday, in `time_zone` */
  weekday: number;
  hour: number;
  minute: number;
  time_zone: string;
  next_report_at: Timestamp;
  last_report_at: Timestamp | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A teammate's comment on an article. */
export interface CommentTable {
  id: Generated<number>;
  article_id: number;
  user_id: string;
  channel_id: string | null;
  text: string;
  created_at: Timestamp;
  /** identifies the Slack request that made it, so a redelivery does not comment twice */
  dedupe_key: string | null;
}

/** The latest state of one user's save reaction on one message. */
export interface LinkReactionTable {
  user_id: string;
  channel_id: string;
  message_ts: string;
  /** 'added' or 'removed' */
  state: string;
  /** the event_ts of the reaction event that set the state ("seconds.micros", compared as text) */
  event_ts: string;
  /** the thread the message is in, for replies about it */
  thread_ts: string | null;
  updated_at: Timestamp;
}

/** An article a save reaction put in the reacting user's queue. */
export interface LinkReactionArticleTable {
  user_id: string;
  channel_id: string;
  message_ts: string;
  article_id: number;
  saved_at: Timestamp;
}

/**
 * What one article is searched as, in normalized text: its own title and summary (scope ''),
 * or that plus the comments made in one channel (scope: the channel id). Replaced, never updated.
 */
export interface SearchDocumentTable {
  id: Generated<number>;
  article_id: number;
  /** '' for the article's own text, else the channel its comments were made in */
  scope: string;
  /** the normalized title, for ranking */
  title: string;
  /** the normalized title, summary and the scope's comments, one per line */
  body: string;
}

/**
 * SQLite only (migration 0011): the highest search document id both FTS5 indexes hold; the
 * documents above it are the backlog the search indexer has not reached yet. One row.
 */
export interface SearchIndexProgressTable {
  id: number;
  indexed_through: number;
}

/** The whole database, for `Kysely<Database>`. */
export interface Database {
  feeds: FeedTable;
  subscriptions: SubscriptionTable;
  articles: ArticleTable;
  feed_articles: FeedArticleTable;
  channels: ChannelTable;
  digests: DigestTable;
  digest_articles: DigestArticleTable;
  digest_messages: DigestMessageTable;
  outbox: OutboxTable;
  leases: LeaseTable;
  request_claims: RequestClaimTable;
  article_channels: ArticleChannelTable;
  assignment_changes: AssignmentChangeTable;
  read_later: ReadLaterTable;
  article_reads: ArticleReadTable;
  assignments: AssignmentTable;
  comments: CommentTable;
  link_reactions: LinkReactionTable;
  link_reaction_articles: LinkReactionArticleTable;
  reminders: ReminderTable;
  report_schedules: ReportScheduleTable;
  realtime_posts: RealtimePostTable;
  realtime_updates: RealtimeUpdateTable;
  search_documents: SearchDocumentTable;
  search_index_progress: SearchIndexProgressTable;
}

/** Rows as read, for the modules that pass them around. */
export type Feed = Selectable<FeedTable>;
export type Subscription = Selectable<SubscriptionTable>;
export type Channel = Selectable<ChannelTable>;
export type Assignment = Selectable<AssignmentTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type ReportSchedule = Selectable<ReportScheduleTable>;

/** One article in a digest, with what the renderer shows of it. */
export interface DigestEntry {
  /** the article's number, the one `<article>` accepts in commands */
  articleId: number;
  title: string;
  url: string;
  summary: string | null;
  /** the title of the feed that carried it to this channel */
  source: string;
  bookmarkCount: number | null;
  bookmarkCommentsUrl: string | null;
  publishedAt: string | null;
  /** the team's activity on the article, shown once there is some (reading queue) */
  activity?: ArticleActivity;
}

/** What the team did with an article, shown under it in the digest. */
export interface ArticleActivity {
  /** how many people saved it for later */
  savedCount: number;
  commentCount: number;
  /** Slack user ids it is assigned to (open assignments) */
  assigneeIds: string[];
  /** Slack user ids who marked it done */
  doneCount: number;
}

/** Everything one digest shows. */
export interface DigestContent {
  digestId: number;
  channelId: string;
  /** the digest's date in the channel's time zone, YYYY-MM-DD */
  date: string;
  /** best first */
  entries: DigestEntry[];
  /** new articles beyond OPSFEED_DIGEST_MAX_ARTICLES, counted in a closing line */
  overflowCount: number;
}

/** The Slack message metadata event type that tags every digest message. */
export const DIGEST_METADATA_EVENT = "opsfeed_digest";

/** Metadata on a digest message: which digest, which part. */
export interface DigestMetadataPayload {
  digest_id: number;
  part: number;
  parts: number;
}

/** The action ids of the buttons under each digest article; their value is the article id. */
export const ARTICLE_ACTIONS = {
  readLater: "article_read_later",
  assign: "article_assign",
  comment: "article_comment",
  done: "article_done",
} as const;

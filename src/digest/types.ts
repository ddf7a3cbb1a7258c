/** Which days a channel's digest goes out: every day, or Monday to Friday. */
export type DigestDays = "daily" | "weekdays";

/** A channel's digest schedule and state, as `digest` shows it. */
export interface ChannelSchedule {
  enabled: boolean;
  hour: number;
  minute: number;
  days: DigestDays;
  timeZone: string;
  nextDigestAt: string | null;
  lastDigestAt: string | null;
  /** the Slack error that stopped the last digest, if any */
  lastErrorCode: string | null;
  /** whether it stopped for good, or was parked after failing the same way repeatedly */
  lastErrorKind: "permanent" | "parked";
}

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

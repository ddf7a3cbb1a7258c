/*
 * What opsfeed counts, as the domain and the adapters see it. This file imports nothing, so
 * any layer may depend on it; only `prometheus.ts` knows prom-client.
 */

/** The kinds of request Slack sends opsfeed. */
export type SlackSurface =
  | "command"
  | "action"
  | "view"
  | "event"
  | "shortcut"
  | "options"
  | "other";

/** How a request from Slack ended: handled, or its listener threw. */
export type RequestOutcome = "ok" | "error";

/** What one feed poll did (a feed's `PollOutcome.result`). */
export type FeedPollResult = "fetched" | "not-modified" | "error";

/** How a digest run ended (a `DigestOutcome.status`). */
export type DigestResult = "posted" | "nothing-new" | "failed" | "parked" | "delayed" | "busy";

/** How a realtime post ended. */
export type RealtimePostResult = "posted" | "failed";

/** Feeds' health, read from the database at each scrape. */
export interface FeedHealthSummary {
  /** feeds whose last fetch failed */
  failing: number;
  /** feeds failing for 24 hours or more (their channels got the outage notice) */
  failingForADay: number;
}

/** The counters the code moves; the Prometheus implementation turns them into series. */
export interface Metrics {
  /** a request from Slack was handled: `opsfeed_slack_requests_total`, `…_duration_seconds` */
  slackRequest(surface: SlackSurface, outcome: RequestOutcome, seconds: number): void;
  /** one HTTP call to Slack (Web API method or response_url): `opsfeed_slack_api_calls_total` */
  slackApiCall(method: string, outcome: string): void;
  /** the Slack connection opened or closed (Socket Mode), or start-up's auth.test passed */
  slackConnected(connected: boolean): void;
  /** one feed was polled: `opsfeed_feed_polls_total{outcome}` */
  feedPolled(outcome: FeedPollResult): void;
  /** a poll stored `count` articles new to their feed: `opsfeed_articles_stored_total` */
  articlesStored(count: number): void;
  /** a channel's digest run ended: `opsfeed_digests_total{outcome}` */
  digestPosted(outcome: DigestResult): void;
  /** a digest was given up on after its retries (parked): `opsfeed_digests_parked_total` */
  digestParked(): void;
  /** a realtime subscription's article was posted, or failed: `opsfeed_realtime_posts_total` */
  realtimePosted(outcome: RealtimePostResult): void;
  /** a due-date reminder was sent: `opsfeed_reminders_sent_total` */
  reminderSent(): void;
  /** the retention prune deleted `count` old articles: `opsfeed_articles_pruned_total` */
  articlesPruned(count: number): void;
  /** the retention prune cleared `count` old sent messages' payloads: `opsfeed_payloads_cleared_total` */
  payloadsCleared(count: number): void;
}

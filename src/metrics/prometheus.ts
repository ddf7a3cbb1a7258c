import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { FeedHealthSummary, Metrics } from "./types.js";

/** The metrics of one running opsfeed, and their Prometheus text exposition. */
export interface PrometheusMetrics {
  metrics: Metrics;
  /** the Content-Type of `render()`'s text */
  contentType: string;
  /** every series, in the text format `GET /metrics` answers */
  render(): Promise<string>;
  /** where the failing-feed gauges read their values at each scrape */
  readFeedHealthFrom(source: () => Promise<FeedHealthSummary>): void;
  /** where the search backlog gauge reads its value at each scrape */
  readSearchBacklogFrom(source: () => Promise<number>): void;
}

/**
 * Creates opsfeed's series in a registry of their own (several apps in one test process
 * must not share counters), with the process's default metrics (`process_*`, `nodejs_*`).
 */
export function createPrometheusMetrics(version: string): PrometheusMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: "opsfeed_info",
    help: "Always 1; the running opsfeed's version is its label",
    labelNames: ["version"],
    registers,
  }).set({ version }, 1);
  const requests = new Counter({
    name: "opsfeed_slack_requests_total",
    help: "Requests from Slack handled, by surface (command, action, view, event…) and outcome",
    labelNames: ["surface", "outcome"],
    registers,
  });
  const requestSeconds = new Histogram({
    name: "opsfeed_slack_request_duration_seconds",
    help: "Time from receiving a request from Slack to the end of its listener",
    labelNames: ["surface"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const apiCalls = new Counter({
    name: "opsfeed_slack_api_calls_total",
    help: "HTTP calls to Slack's Web API and response_urls, by method and outcome (ok, a Slack error code, rate_limited, http_<status>, network_error)",
    labelNames: ["method", "outcome"],
    registers,
  });
  const connected = new Gauge({
    name: "opsfeed_slack_connected",
    help: "1 while opsfeed is connected to Slack (Socket Mode: the socket is open; HTTP mode: start-up's auth.test passed)",
    registers,
  });
  const polls = new Counter({
    name: "opsfeed_feed_polls_total",
    help: "Feed polls, by outcome (fetched, not-modified, error)",
    labelNames: ["outcome"],
    registers,
  });
  const articles = new Counter({
    name: "opsfeed_articles_stored_total",
    help: "Articles stored that were new to their feed",
    registers,
  });
  const digests = new Counter({
    name: "opsfeed_digests_total",
    help: "Digest runs of a channel, by outcome (posted, nothing-new, failed)",
    labelNames: ["outcome"],
    registers,
  });
  const parked = new Counter({
    name: "opsfeed_digests_parked_total",
    help: "Digests given up on after their retries, waiting for an operator",
    registers,
  });
  const realtime = new Counter({
    name: "opsfeed_realtime_posts_total",
    help: "Realtime posts of new articles, by outcome (posted, failed)",
    labelNames: ["outcome"],
    registers,
  });
  const reminders = new Counter({
    name: "opsfeed_reminders_sent_total",
    help: "Due-date reminders sent",
    registers,
  });

  const pruned = new Counter({
    name: "opsfeed_articles_pruned_total",
    help: "Old articles nothing referred to, deleted by the retention prune",
    registers,
  });
  const cleared = new Counter({
    name: "opsfeed_payloads_cleared_total",
    help: "Old sent messages whose stored payload the retention prune cleared",
    registers,
  });

  let feedHealth: () => Promise<FeedHealthSummary> = async () => ({
    failing: 0,
    failingForADay: 0,
  });
  // Read from the database at scrape time: a feed in back-off is failing even when no poll ran.
  let latest: Promise<FeedHealthSummary> | null = null;
  const summary = () => {
    latest ??= feedHealth().finally(() => {
      latest = null;
    });
    return latest;
  };
  new Gauge({
    name: "opsfeed_feeds_failing",
    help: "Subscribed feeds whose last fetch failed",
    registers,
    async collect() {
      this.set((await summary()).failing);
    },
  });
  new Gauge({
    name: "opsfeed_feeds_failing_for_a_day",
    help: "Subscribed feeds failing for 24 hours or more",
    registers,
    async collect() {
      this.set((await summary()).failingForADay);
    },
  });
  let searchBacklog: () => Promise<number> = async () => 0;
  new Gauge({
    name: "opsfeed_search_backlog_documents",
    help: "Stored search documents the search indexer has not written into the indexes yet",
    registers,
    async collect() {
      this.set(await searchBacklog());
    },
  });
  // Zero series from the start, so rates and alerts see every outcome before it first happens.
  for (const outcome of ["fetched", "not-modified", "error"]) polls.inc({ outcome }, 0);
  for (const outcome of ["posted", "nothing-new", "failed"]) digests.inc({ outcome }, 0);
  for (const outcome of ["posted", "failed"]) realtime.inc({ outcome }, 0);

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    readFeedHealthFrom(source) {
      feedHealth = source;
    },
    readSearchBacklogFrom(source) {
      searchBacklog = source;
    },
    metrics: {
      slackRequest(surface, outcome, seconds) {
        requests.inc({ surface, outcome });
        requestSeconds.observe({ surface }, seconds);
      },
      slackApiCall: (method, outcome) => apiCalls.inc({ method, outcome }),
      slackConnected: (isConnected) => connected.set(isConnected ? 1 : 0),
      feedPolled: (outcome) => polls.inc({ outcome }),
      articlesStored: (count) => articles.inc(count),
      digestPosted: (outcome) => digests.inc({ outcome }),
      digestParked: () => parked.inc(),
      realtimePosted: (outcome) => realtime.inc({ outcome }),
      reminderSent: () => reminders.inc(),
      articlesPruned: (count) => pruned.inc(count),
      payloadsCleared: (count) => cleared.inc(count),
    },
  };
}

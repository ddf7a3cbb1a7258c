import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildJobs } from "../src/jobs/index.js";
import { VERSION } from "../src/version.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { type FeedServer, fixture, startFeedServer } from "./support/feed-server.js";
import { sampleOf, scrape } from "./support/metrics-text.js";
import { startTestApp, type TestApp } from "./support/test-app.js";
import { onPostgres } from "./support/test-database.js";

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  app = await startTestApp({ clock, pause: async () => {} });
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

/** Runs one of the app's recurring jobs now, as the scheduler would. */
async function runJob(name: string): Promise<void> {
  const job = buildJobs(app.services).find((candidate) => candidate.name === name);
  if (!job) throw new Error(`no job ${name}`);
  await job.run();
}

describe("GET /metrics", () => {
  it("serves Prometheus text with the process's own metrics", async () => {
    const response = await fetch(`${app.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain("# TYPE process_cpu_seconds_total counter");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(sampleOf(text, "opsfeed_info", { version: VERSION })).toBe(1);
    expect(sampleOf(text, "opsfeed_slack_connected")).toBe(1);
  });

  it("moves with real traffic: commands, events, polls, digests and a 429 from Slack", async () => {
    const before = await scrape(app.url);
    expect(sampleOf(before, "opsfeed_slack_requests_total", { surface: "command" })).toBe(0);

    // Two feeds, then one poll: one serves new items, the other fails.
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    await app.ask(`subscribe ${feeds.url("engineering-blog.atom")}`);
    feeds.set("/status-incidents.rss", { body: fixture("hatena-hotentry-it.rdf"), etag: '"v2"' });
    feeds.set("/engineering-blog.atom", (_req, res) => {
      res.writeHead(503).end();
    });
    clock.advance(60_000);
    await runJob("poll-feeds");

    // The digest's first post is rate limited; the Web API client waits and posts it again.
    app.fakeSlack.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 });
    clock.advance(60_000);
    await app.ask("digest now");
    await app.slack.event({
      type: "app_home_opened",
      user: "UALICE",
      channel: "DUALICE",
      tab: "home",
    });
    await app.fakeSlack.waitForCall("views.publish");

    const after = await scrape(app.url);
    const value = (name: string, labels: Record<string, string> = {}) =>
      sampleOf(after, name, labels);
    expect(value("opsfeed_slack_requests_total", { surface: "command", outcome: "ok" })).toBe(3);
    expect(value("opsfeed_slack_request_duration_seconds_count", { surface: "command" })).toBe(3);
    expect(value("opsfeed_slack_requests_total", { surface: "event", outcome: "ok" })).toBe(1);
    // digest now refreshes the channel's feeds too: two more polls.
    expect(value("opsfeed_feed_polls_total", { outcome: "fetched" })).toBeGreaterThanOrEqual(1);
    expect(value("opsfeed_feed_polls_total", { outcome: "error" })).toBeGreaterThanOrEqual(1);
    expect(value("opsfeed_articles_stored_total")).toBe(8);
    expect(value("opsfeed_feeds_failing")).toBe(1);
    expect(value("opsfeed_feeds_failing_for_a_day")).toBe(0);
    // SQLite: what the polls stored (these eight and those of the subscribes) waits for the
    // search indexer until its job runs; Postgres indexes as it stores.
    const backlog = value("opsfeed_search_backlog_documents");
    if (onPostgres) expect(backlog).toBe(0);
    else expect(backlog).toBeGreaterThanOrEqual(8);
    await runJob("index-search");
    expect(sampleOf(await scrape(app.url), "opsfeed_search_backlog_documents")).toBe(0);
    expect(value("opsfeed_digests_total", { outcome: "posted" })).toBe(1);
    expect(
      value("opsfeed_slack_api_calls_total", {
        method: "chat.postMessage",
        outcome: "rate_limited",
      }),
    ).toBe(1);
    expect(
      value("opsfeed_slack_api_calls_total", { method: "chat.postMessage", outcome: "ok" }),
    ).toBeGreaterThanOrEqual(1);
    expect(value("opsfeed_slack_api_calls_total", { method: "auth.test", outcome: "ok" })).toBe(1);
    expect(value("opsfeed_slack_api_calls_total", { method: "response_url", outcome: "ok" })).toBe(
      3,
    );
    // Named now so dashboards and alerts have them before the features that move them.
    expect(after).toContain("opsfeed_realtime_posts_total");
    expect(after).toContain("opsfeed_reminders_sent_total");
    expect(after).toContain("opsfeed_digests_parked_total");
  });

  it("counts a feed failing for a day, read from the database at scrape time", async () => {
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    feeds.set("/status-incidents.rss", (_req, res) => {
      res.writeHead(500).end();
    });
    // The next poll tick: a feed fetched since the current one began (by subscribe) waits.
    clock.advance(60_000);
    await runJob("poll-feeds");
    clock.advance(25 * 60 * 60 * 1000);
    const text = await scrape(app.url);
    expect(sampleOf(text, "opsfeed_feeds_failing")).toBe(1);
    expect(sampleOf(text, "opsfeed_feeds_failing_for_a_day")).toBe(1);
  });
});

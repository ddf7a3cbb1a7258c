import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { digestArticleIds, jsonFeed, manyItems } from "./support/factories.js";
import { type RecordedCall, startFakeSlack } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * Many channels due at the same minute: their digests go out side by side, never more Slack
 * calls at once than OPSFEED_DIGEST_CONCURRENCY, while each channel still gets its parts in
 * order about a second apart, and a channel Slack slows down with a 429 waits alone.
 */

const CHANNELS = 6;
const WIDTH = 3;
/** Enough long-titled articles for a digest of several messages. */
const ARTICLES = 25;

let app: TestApp;
let feeds: FeedServer;

const channel = (i: number) => `C_DUE${i}`;

beforeEach(async () => {
  feeds = await startFeedServer();
  // Slack takes a moment to answer, as the real one does: calls in flight overlap.
  const fakeSlack = await startFakeSlack({ answerDelayMs: 50 });
  app = await startTestApp({
    fakeSlack,
    env: { OPSFEED_DIGEST_MAX_ARTICLES: "200", OPSFEED_DIGEST_CONCURRENCY: String(WIDTH) },
  });
  for (let i = 0; i < CHANNELS; i++) {
    feeds.set(`/due${i}.json`, jsonFeed(`Feed ${i}`, manyItems(ARTICLES, `d${i}-`)));
    await app.ask(`subscribe ${feeds.url(`/due${i}.json`)}`, { channelId: channel(i) });
  }
  // Every channel's scheduled digest due now: the same minute for all of them.
  await app.db
    .updateTable("channels")
    .set({ next_digest_at: new Date(Date.now() - 1000).toISOString() })
    .execute();
  app.fakeSlack.reset();
});

afterEach(async () => {
  await app.stop();
  await app.fakeSlack.close();
  await feeds.close();
});

/** The digest posts Slack took in a channel, in the order they arrived. */
function acceptedPosts(channelId: string): RecordedCall[] {
  return app.fakeSlack
    .callsTo("chat.postMessage")
    .filter((call) => call.args.channel === channelId && call.outcome.ok);
}

function partOf(call: RecordedCall): number | undefined {
  return (call.args.metadata as { event_payload?: { part?: number } } | undefined)?.event_payload
    ?.part;
}

/** Each channel got every article exactly once, its parts in order, about a second apart. */
function expectEveryChannelPaced() {
  for (let i = 0; i < CHANNELS; i++) {
    const posts = acceptedPosts(channel(i));
    expect(posts.length, channel(i)).toBeGreaterThan(1);
    expect(posts.map(partOf), channel(i)).toEqual(
      Array.from({ length: posts.length }, (_, part) => part + 1),
    );
    for (let part = 1; part < posts.length; part++) {
      const gap = (posts[part] as RecordedCall).at - (posts[part - 1] as RecordedCall).at;
      expect(gap, `${channel(i)} part ${part + 1}`).toBeGreaterThanOrEqual(1000);
    }
    const ids = digestArticleIds(app.fakeSlack.postedMessages(channel(i)));
    expect(ids, channel(i)).toHaveLength(ARTICLES);
    expect(new Set(ids).size, channel(i)).toBe(ARTICLES);
  }
}

describe("channels due at the same minute", () => {
  it("are posted side by side, never more at once than OPSFEED_DIGEST_CONCURRENCY", async () => {
    const results = await app.services.digests.runDue();

    expect(results.map((result) => result.outcome.status)).toEqual(Array(CHANNELS).fill("posted"));
    const peak = app.fakeSlack.peakInFlight("chat.postMessage");
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(WIDTH);
    // No channel waited for another to finish: the last one began before the first ended.
    const firstEnded = Math.max(...acceptedPosts(channel(0)).map((call) => call.at));
    const lastBegan = Math.min(...acceptedPosts(channel(CHANNELS - 1)).map((call) => call.at));
    expect(lastBegan).toBeLessThan(firstEnded);
    expectEveryChannelPaced();
  });

  it("keeps only the channel Slack answers 429 waiting, for its Retry-After", async () => {
    const limited = channel(0);
    app.fakeSlack.failNext("chat.postMessage", {
      status: 429,
      retryAfterSeconds: 2,
      when: (args) => args.channel === limited,
    });

    await app.services.digests.runDue();

    const tries = app.fakeSlack
      .callsTo("chat.postMessage")
      .filter((call) => call.args.channel === limited);
    expect(tries[0]?.outcome.status).toBe(429);
    const refusedAt = (tries[0] as RecordedCall).at;
    const firstPosted = (acceptedPosts(limited)[0] as RecordedCall).at;
    expect(firstPosted - refusedAt).toBeGreaterThanOrEqual(2000);
    // The others went on meanwhile: each had its first part in before the limited one's.
    for (let i = 1; i < CHANNELS; i++) {
      expect((acceptedPosts(channel(i))[0] as RecordedCall).at, channel(i)).toBeLessThan(
        firstPosted,
      );
    }
    expectEveryChannelPaced();
  });
});

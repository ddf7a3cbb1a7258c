import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../src/errors.js";
import { parseFeed } from "../src/feeds/parse-feed.js";
import {
  createParsePool,
  type ParsePool,
  type ParsePoolOptions,
} from "../src/feeds/parse-worker-pool.js";
import { jsonFeed, manyItems } from "./support/factories.js";
import { FIXTURES_DIR, fixture, startFeedServer } from "./support/feed-server.js";
import { startTestApp } from "./support/test-app.js";

const FEED_URL = "https://feeds.example/feed.xml";

/** An RSS 2.0 feed of `count` items, each linking to https://big.example/<i>. */
function bigRss(count: number): string {
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<item><title>Incident ${i}</title><link>https://big.example/${i}</link><pubDate>Tue, 24 Nov 2026 00:00:00 GMT</pubDate></item>`,
  ).join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Big</title><link>https://big.example/</link>\n${items}\n</channel></rss>`;
}

/** What parsing ends in: the feed, or the error's code and params. */
async function outcome(parse: () => Promise<unknown>) {
  try {
    return { feed: await parse() };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, params: error.params };
  }
}

/** A feed the crashing test worker dies on (parsed inline, it is an ordinary feed). */
const CRASHING = bigRss(10).replace("<channel>", "<channel><!-- crash -->");

/** A pool whose workers die on CRASHING, so a test can tell where a feed was parsed. */
function crashingPool(options: Partial<ParsePoolOptions> = {}): ParsePool {
  return createParsePool({
    workers: 1,
    entry: new URL("./support/crashing-parse-worker.ts", import.meta.url),
    ...options,
  });
}

let pool: ParsePool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe("the parse worker pool", () => {
  it("gives every shared fixture the same feed, or the same error, as parsing inline", async () => {
    // Everything goes to the worker, however small.
    pool = createParsePool({ workers: 1, inlineMaxBytes: 0 });
    const names = readdirSync(FIXTURES_DIR).filter((name) => name !== "subscriptions.opml");
    expect(names.length).toBeGreaterThan(4);
    for (const name of names) {
      const body = fixture(name);
      const inline = await outcome(async () => parseFeed(body, FEED_URL, null));
      const inWorker = await outcome(() => (pool as ParsePool).parse(body, FEED_URL, null));
      expect(inWorker, name).toEqual(inline);
    }
    // The refusals keep their codes across the thread.
    expect(
      await outcome(() => (pool as ParsePool).parse(fixture("billion-laughs.xml"), FEED_URL, null)),
    ).toMatchObject({ code: "feed.entity-expansion" });
    expect(
      await outcome(() => (pool as ParsePool).parse(fixture("malformed.xml"), FEED_URL, null)),
    ).toMatchObject({ code: "feed.malformed" });
  });

  it("returns all 40,000 items of a large feed in order", async () => {
    pool = createParsePool({ workers: 1 });
    const feed = await pool.parse(bigRss(40_000), FEED_URL, null);
    expect(feed.items).toHaveLength(40_000);
    expect(feed.items[39_999]?.url).toBe("https://big.example/39999");
    expect(feed.title).toBe("Big");
  });

  it("fails only the feed whose worker crashes, and parses the next one in a new worker", async () => {
    pool = crashingPool({ inlineMaxBytes: 0 });
    const [failed, next] = await Promise.all([
      outcome(() => (pool as ParsePool).parse(CRASHING, FEED_URL, null)),
      // Queued behind the crashing one, on the same worker.
      outcome(() => (pool as ParsePool).parse(fixture("status-incidents.rss"), FEED_URL, null)),
    ]);
    expect(failed).toEqual({ code: "feed.malformed", params: { reason: "the parser stopped" } });
    expect(next).toEqual({ feed: parseFeed(fixture("status-incidents.rss"), FEED_URL, null) });
  });

  it("parses small feeds inline until a poll of several starts a worker, then in the worker", async () => {
    // The crashing worker tells where a feed was parsed: its marker only breaks a worker.
    pool = crashingPool({ busyParses: 2 });
    const parse = () => outcome(() => (pool as ParsePool).parse(CRASHING, FEED_URL, null));

    expect(await parse()).toMatchObject({ feed: { title: "Big" } });
    // Two being parsed: the third starts a worker, but is parsed inline while it loads.
    const together = await Promise.all([parse(), parse(), parse()]);
    expect(together.map((result) => "feed" in result)).toEqual([true, true, true]);
    // Once the worker is ready, even a lone feed goes to it (and breaks it).
    await vi.waitFor(async () => expect(await parse()).toMatchObject({ code: "feed.malformed" }), {
      timeout: 15_000,
      interval: 50,
    });
  });

  it("parses again in a new worker the feeds queued behind one that broke its worker", async () => {
    pool = crashingPool({ inlineMaxBytes: 0 });
    const results = await Promise.all([
      outcome(() => (pool as ParsePool).parse(bigRss(3), FEED_URL, null)),
      outcome(() => (pool as ParsePool).parse(CRASHING, FEED_URL, null)),
      outcome(() => (pool as ParsePool).parse(bigRss(5), FEED_URL, null)),
      outcome(() => (pool as ParsePool).parse(bigRss(7), FEED_URL, null)),
    ]);
    expect(
      results.map((result) =>
        "feed" in result ? (result.feed as { items: unknown[] }).items.length : result.code,
      ),
    ).toEqual([3, "feed.malformed", 5, 7]);
  });

  it("gives up on a feed that takes too long, and parses the next one in a new worker", async () => {
    pool = createParsePool({ workers: 1, inlineMaxBytes: 0, timeoutMs: 1000 });
    // About 5 s of parsing.
    const slow = (pool as ParsePool).parse(bigRss(200_000), FEED_URL, null);
    const next = (pool as ParsePool).parse(fixture("status-incidents.rss"), FEED_URL, null);
    expect(await outcome(() => slow)).toEqual({
      code: "feed.malformed",
      params: { reason: "parsing took longer than 1 s" },
    });
    expect(await next).toEqual(parseFeed(fixture("status-incidents.rss"), FEED_URL, null));
  });
});

describe("subscribing through the app with parse workers", () => {
  it("stores every item of a feed parsed in a worker", async () => {
    const feeds = await startFeedServer();
    const app = await startTestApp({ env: { OPSFEED_PARSE_WORKERS: "1" } });
    try {
      feeds.set("/big.json", jsonFeed("Big", manyItems(1000)));
      const reply = await app.ask(`subscribe ${feeds.url("/big.json")}`);
      expect(reply.text).toContain("Big");
      const stored = await app.db.selectFrom("articles").select("id").execute();
      expect(stored).toHaveLength(1000);
    } finally {
      await app.stop();
      await feeds.close();
    }
  });
});

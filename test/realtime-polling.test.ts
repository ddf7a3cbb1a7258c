import type { ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { realtimeCron } from "../src/jobs/index.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * The realtime poll: feeds of realtime subscriptions every OPSFEED_REALTIME_POLL_SECONDS, not
 * before a feed's own max-age, ttl or Retry-After, with conditional GET, one request per host.
 */

const MINUTE = 60_000;

function rss(options: { ttl?: number; items?: number } = {}): string {
  const items = Array.from(
    { length: options.items ?? 1 },
    (_, i) => `<item><title>Incident ${i}</title><link>https://status.example/i/${i}</link></item>`,
  ).join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Status</title><link>https://status.example/</link>${
    options.ttl ? `<ttl>${options.ttl}</ttl>` : ""
  }${items}</channel></rss>`;
}

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  app = await startTestApp({ clock, env: { OPSFEED_REALTIME_POLL_SECONDS: "120" } });
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

function requestsTo(path: string) {
  return feeds.requests.filter((request) => request.path === path);
}

/** The realtime poll `ms` later; the paths it fetched. */
async function pollAfter(ms: number): Promise<string[]> {
  clock.advance(ms);
  const outcomes = await app.services.feeds.pollRealtimeDue();
  return outcomes.map((outcome) => new URL(outcome.url).pathname);
}

describe("the realtime poll", () => {
  it("fetches a realtime feed once its interval has passed, with conditional GET, and leaves digest feeds to the ordinary poll", async () => {
    feeds.set("/live.rss", { body: rss(), contentType: "application/rss+xml", etag: '"v1"' });
    feeds.set("/digest.rss", { body: rss(), contentType: "application/rss+xml" });
    await app.ask(`subscribe ${feeds.url("/live.rss")} realtime`);
    await app.ask(`subscribe ${feeds.url("/digest.rss")}`);

    expect(await pollAfter(MINUTE)).toEqual([]);
    expect(await pollAfter(MINUTE)).toEqual(["/live.rss"]);
    expect(requestsTo("/live.rss").at(-1)?.headers["if-none-match"]).toBe('"v1"');
    expect(await pollAfter(30_000)).toEqual([]);
    expect(await pollAfter(90_000)).toEqual(["/live.rss"]);
    expect(requestsTo("/digest.rss")).toHaveLength(1);
  });

  it("waits out Cache-Control max-age and RSS ttl, whichever is longer", async () => {
    feeds.set("/cached.rss", (_req, res: ServerResponse) => {
      res
        .writeHead(200, { "content-type": "application/rss+xml", "cache-control": "max-age=600" })
        .end(rss());
    });
    feeds.set("/ttl.rss", { body: rss({ ttl: 15 }), contentType: "application/rss+xml" });
    await app.ask(`subscribe ${feeds.url("/cached.rss")} realtime`);
    await app.ask(`subscribe ${feeds.url("/ttl.rss")} realtime`);

    expect((await pollAfter(2 * MINUTE)).sort()).toEqual(["/cached.rss", "/ttl.rss"]);
    // Fresh for 10 minutes (max-age) and 15 minutes (ttl) from that fetch.
    expect(await pollAfter(2 * MINUTE)).toEqual([]);
    expect(await pollAfter(8 * MINUTE)).toEqual(["/cached.rss"]);
    expect(await pollAfter(5 * MINUTE)).toEqual(["/ttl.rss"]);
  });

  it("does not ask again before a 429's Retry-After, longer than the back-off", async () => {
    let limited = false;
    feeds.set("/limited.rss", (_req, res: ServerResponse) => {
      if (limited) res.writeHead(429, { "retry-after": "1800" }).end();
      else res.writeHead(200, { "content-type": "application/rss+xml" }).end(rss());
    });
    await app.ask(`subscribe ${feeds.url("/limited.rss")} realtime`);
    limited = true;
    expect(await pollAfter(2 * MINUTE)).toEqual(["/limited.rss"]);
    // The back-off alone would try again after 10 minutes; the server asked for 30.
    expect(await pollAfter(12 * MINUTE)).toEqual([]);
    expect(await pollAfter(17 * MINUTE)).toEqual([]);
    limited = false;
    expect(await pollAfter(2 * MINUTE)).toEqual(["/limited.rss"]);
  });

  it("never sends more than two requests to one host at once, the ordinary and the realtime poll together", async () => {
    let inFlight = 0;
    let most = 0;
    const slow = (_req: unknown, res: ServerResponse) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { "content-type": "application/rss+xml" }).end(rss());
      }, 100);
    };
    for (const path of ["/a.rss", "/b.rss", "/c.rss"]) {
      feeds.set(path, slow);
      await app.ask(`subscribe ${feeds.url(path)} realtime`);
    }
    most = 0;
    clock.advance(3 * MINUTE);
    // As the poll job asks: feeds not attempted since this minute began (a feed the realtime
    // poll is fetching or fetched meanwhile is left alone).
    const tick = new Date(Math.floor(clock().getTime() / MINUTE) * MINUTE);
    const [ordinary, realtime] = await Promise.all([
      app.services.feeds.pollDue({ dueSince: tick }),
      app.services.feeds.pollRealtimeDue(),
    ]);
    expect(most).toBe(2);
    // Each feed fetched once between the two.
    expect(ordinary.length + realtime.length).toBe(3);
  });

  it("ticks every min(interval, 60 s)", () => {
    expect(realtimeCron(120)).toBe("0 * * * * *");
    expect(realtimeCron(60)).toBe("0 * * * * *");
    expect(realtimeCron(30)).toBe("*/30 * * * * *");
    expect(realtimeCron(10)).toBe("*/10 * * * * *");
  });
});

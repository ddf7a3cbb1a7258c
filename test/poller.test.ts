import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { type FeedServer, fixture, startFeedServer } from "./support/feed-server.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T00:00:00.000Z");
  app = await startTestApp({ clock });
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

function poll() {
  return app.services.feeds.pollDue();
}

function hatenaWithCount(count: number) {
  return fixture("hatena-hotentry-it.rdf")
    .toString("utf8")
    .replace(
      "<hatena:bookmarkcount>412</hatena:bookmarkcount>",
      `<hatena:bookmarkcount>${count}</hatena:bookmarkcount>`,
    );
}

function failWith(status: number) {
  return (_req: unknown, res: import("node:http").ServerResponse) => {
    res.writeHead(status).end("down");
  };
}

async function article(canonicalUrl: string) {
  return app.db
    .selectFrom("articles")
    .selectAll()
    .where("canonical_url", "=", canonicalUrl)
    .executeTakeFirstOrThrow();
}

const AZ1 = "https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage";

describe("polling", () => {
  it("updates what changed without a second article, and a 304 changes nothing", async () => {
    feeds.set("/hot.rdf", { body: hatenaWithCount(412), etag: '"v1"' });
    await app.ask(`subscribe ${feeds.url("/hot.rdf")}`);
    expect((await article(AZ1)).bookmark_count).toBe(412);

    feeds.set("/hot.rdf", { body: hatenaWithCount(1024), etag: '"v2"' });
    clock.advance(10 * MINUTE);
    const [fetched] = await poll();
    expect(fetched).toMatchObject({ result: "fetched", newArticles: 0 });
    expect((await article(AZ1)).bookmark_count).toBe(1024);
    const countAfterRefetch = await app.db.selectFrom("articles").select("id").execute();
    expect(countAfterRefetch).toHaveLength(8);

    const before = await article(AZ1);
    clock.advance(10 * MINUTE);
    const [unchanged] = await poll();
    expect(unchanged).toMatchObject({ result: "not-modified", newArticles: 0 });
    expect(feeds.requests.at(-1)?.headers["if-none-match"]).toBe('"v2"');
    expect(await article(AZ1)).toEqual(before);
  });

  it("takes a body served again byte for byte under a new ETag for unchanged, and keeps the ETag", async () => {
    feeds.set("/hot.rdf", { body: hatenaWithCount(412), etag: '"v1"' });
    await app.ask(`subscribe ${feeds.url("/hot.rdf")}`);
    const before = await article(AZ1);

    // Two hours on (a store would mark its items as listed again by now), the same bytes under
    // a new ETag: not parsed, nothing written.
    feeds.set("/hot.rdf", { body: hatenaWithCount(412), etag: '"v2"' });
    clock.advance(2 * HOUR);
    const [same] = await poll();
    expect(same).toMatchObject({ result: "not-modified", newArticles: 0 });
    expect(await article(AZ1)).toEqual(before);
    clock.advance(10 * MINUTE);
    await poll();
    expect(feeds.requests.at(-1)?.headers["if-none-match"]).toBe('"v2"');

    // A body that changed is parsed and stored as ever.
    feeds.set("/hot.rdf", { body: hatenaWithCount(2048), etag: '"v3"' });
    clock.advance(10 * MINUTE);
    const [changed] = await poll();
    expect(changed).toMatchObject({ result: "fetched" });
    expect((await article(AZ1)).bookmark_count).toBe(2048);
  });

  it("counts articles a feed carries for the first time", async () => {
    feeds.set("/hot.rdf", { body: hatenaWithCount(412), etag: '"v1"' });
    await app.ask(`subscribe ${feeds.url("/hot.rdf")}`);
    const added = hatenaWithCount(412).replace(
      "</rdf:RDF>",
      `<item rdf:about="https://new.example/post"><title>New post</title><link>https://new.example/post?utm_source=hatena</link></item></rdf:RDF>`,
    );
    feeds.set("/hot.rdf", { body: added, etag: '"v2"' });
    const [outcome] = await poll();
    expect(outcome).toMatchObject({ result: "fetched", newArticles: 1 });
    expect((await article("https://new.example/post")).title).toBe("New post");
  });

  it("backs a failing feed off, keeps polling the others, and shows the error in list", async () => {
    feeds.set("/flaky.rss", { body: fixture("status-incidents.rss") });
    await app.ask(`subscribe ${feeds.url("/flaky.rss")}`);
    await app.ask(`subscribe ${feeds.url("engineering-blog.atom")}`);
    feeds.set("/flaky.rss", failWith(503));

    const first = await poll();
    expect(first.map((o) => o.result).sort()).toEqual(["error", "not-modified"]);
    expect((await app.ask("list")).text).toContain("last error (1 in a row)");

    const flakyRequests = () => feeds.requests.filter((r) => r.path === "/flaky.rss").length;
    const requestsAfterFirst = flakyRequests();
    clock.advance(5 * MINUTE);
    const early = await poll();
    expect(early.map((o) => o.url)).toEqual([feeds.url("engineering-blog.atom")]);
    expect(flakyRequests()).toBe(requestsAfterFirst);

    clock.advance(5 * MINUTE);
    expect((await poll()).find((o) => o.url === feeds.url("/flaky.rss"))?.result).toBe("error");
    const feed = await app.db
      .selectFrom("feeds")
      .selectAll()
      .where("url", "=", feeds.url("/flaky.rss"))
      .executeTakeFirstOrThrow();
    expect(feed.consecutive_failures).toBe(2);
    // Second failure in a row: twenty minutes.
    expect(feed.next_fetch_at).toBe(new Date(clock().getTime() + 20 * MINUTE).toISOString());
    expect((await app.ask("list")).text).toContain("HTTP 503");
  });

  it("tells the channels once when a feed has failed for a day, and once when it recovers", async () => {
    feeds.set("/status.rss", { body: fixture("status-incidents.rss") });
    await app.ask(`subscribe ${feeds.url("/status.rss")}`);
    await app.ask(`subscribe ${feeds.url("/status.rss")}`, { channelId: "C_SRE" });
    feeds.set("/status.rss", failWith(500));
    const notices = (channel: string, pattern: RegExp) =>
      app.fakeSlack.postedMessages(channel).filter((m) => pattern.test(m.text ?? ""));

    // Poll every ten minutes for two days; only due feeds are fetched.
    for (let elapsed = 0; elapsed <= 48 * HOUR; elapsed += 10 * MINUTE) {
      await poll();
      clock.advance(10 * MINUTE);
    }
    expect(notices("C_OPS", /has failed since/)).toHaveLength(1);
    expect(notices("C_SRE", /has failed since/)).toHaveLength(1);
    const notice = app.fakeSlack
      .callsTo("chat.postMessage")
      .find((c) => c.args.channel === "C_OPS");
    expect(notice?.args.unfurl_links).toBe(false);
    expect(notices("C_OPS", /HTTP 500|500/)).toHaveLength(1);

    feeds.set("/status.rss", { body: fixture("status-incidents.rss") });
    clock.advance(24 * HOUR);
    await poll();
    clock.advance(10 * MINUTE);
    await poll();
    expect(notices("C_OPS", /^:white_check_mark: .* works again\.$/)).toHaveLength(1);
    expect(notices("C_SRE", /^:white_check_mark: .* works again\.$/)).toHaveLength(1);
    expect((await app.ask("list")).text).not.toContain("last error");
  });

  it("does not tell anyone about a feed that failed for less than a day", async () => {
    feeds.set("/status.rss", { body: fixture("status-incidents.rss") });
    await app.ask(`subscribe ${feeds.url("/status.rss")}`);
    feeds.set("/status.rss", failWith(500));
    for (let elapsed = 0; elapsed < 23 * HOUR; elapsed += 10 * MINUTE) {
      await poll();
      clock.advance(10 * MINUTE);
    }
    feeds.set("/status.rss", { body: fixture("status-incidents.rss") });
    clock.advance(24 * HOUR);
    await poll();
    expect(app.fakeSlack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("sends at most OPSFEED_POLL_HOST_CONCURRENCY (2) requests at a time to a host", async () => {
    let inFlight = 0;
    let most = 0;
    for (let i = 0; i < 6; i++) {
      feeds.set(`/slow-${i}.json`, (_req, res) => {
        inFlight++;
        most = Math.max(most, inFlight);
        setTimeout(() => {
          inFlight--;
          res.writeHead(200, { "content-type": "application/feed+json" }).end(
            JSON.stringify({
              version: "https://jsonfeed.org/version/1.1",
              title: `Slow ${i}`,
              items: [],
            }),
          );
        }, 20);
      });
      await app.ask(`subscribe ${feeds.url(`/slow-${i}.json`)}`);
    }
    most = 0;
    const outcomes = await poll();
    expect(outcomes).toHaveLength(6);
    // Fetched, each body the one subscribing parsed (so not parsed again).
    expect(outcomes.every((o) => o.result === "not-modified")).toBe(true);
    expect(most).toBe(2);
  });

  it("fetches OPSFEED_POLL_CONCURRENCY feeds at once across hosts, and no more", async () => {
    const wide = await startTestApp({ clock, env: { OPSFEED_POLL_CONCURRENCY: "5" } });
    // Eight hosts (a host is host and port), one slow feed each.
    const servers = await Promise.all(Array.from({ length: 8 }, () => startFeedServer()));
    let inFlight = 0;
    let most = 0;
    try {
      for (const [i, server] of servers.entries()) {
        server.set("/slow.json", (_req, res) => {
          inFlight++;
          most = Math.max(most, inFlight);
          setTimeout(() => {
            inFlight--;
            res.writeHead(200, { "content-type": "application/feed+json" }).end(
              JSON.stringify({
                version: "https://jsonfeed.org/version/1.1",
                title: `Host ${i}`,
                items: [],
              }),
            );
          }, 50);
        });
        await wide.ask(`subscribe ${server.url("/slow.json")}`);
      }
      most = 0;
      const outcomes = await wide.services.feeds.pollDue();
      // Every one fetched (its body the one subscribing parsed, so not parsed again).
      expect(outcomes.filter((o) => o.result === "not-modified")).toHaveLength(8);
      expect(most).toBe(5);
    } finally {
      await wide.stop();
      for (const server of servers) await server.close();
    }
  });
});

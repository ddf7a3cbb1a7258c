import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

let app: TestApp;
let feeds: FeedServer;

beforeEach(async () => {
  feeds = await startFeedServer();
  app = await startTestApp();
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP" });
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

async function countRows(table: "feeds" | "articles" | "subscriptions" | "channels") {
  const row = await app.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("subscribe", () => {
  it.each([
    ["hatena-hotentry-it.rdf", "はてなブックマーク - 人気エントリー - テクノロジー", 8],
    ["engineering-blog.atom", "Example Engineering Blog", 3],
    ["status-incidents.rss", "Example Cloud Status - Incidents", 3],
    ["ops-links.json", "Ops Links (JSON Feed)", 3],
  ])("subscribes to %s and list shows it", async (file, title, count) => {
    const reply = await app.ask(`subscribe <${feeds.url(file)}>`);
    expect(reply.text).toContain(title);
    expect(reply.text).toContain(`holds ${count} articles`);
    const list = await app.ask("list");
    expect(list.text).toContain(title);
    expect(list.text).toContain(feeds.url(file));
    expect(list.text).toContain("no filters");
    expect(list.text).toContain("last fetch: <!date^");
    expect(await countRows("articles")).toBe(count);
  });

  it("sets the channel's digest schedule with its first subscription, and says so once", async () => {
    const first = await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    expect(first.text).toContain("scheduled at 09:00 on weekdays (UTC)");
    const second = await app.ask(`subscribe ${feeds.url("engineering-blog.atom")}`);
    expect(second.text).not.toContain("scheduled at");
    const channel = await app.db.selectFrom("channels").selectAll().executeTakeFirstOrThrow();
    expect(channel).toMatchObject({
      channel_id: "C_OPS",
      digest_hour: 9,
      digest_minute: 0,
      digest_days: "weekdays",
      time_zone: "UTC",
    });
  });

  it("uses OPSFEED_TIMEZONE for a new channel's schedule", async () => {
    const tokyo = await startTestApp({ env: { OPSFEED_TIMEZONE: "Asia/Tokyo" } });
    try {
      const reply = await tokyo.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
      expect(reply.text).toContain("(Asia/Tokyo)");
    } finally {
      await tokyo.stop();
    }
  });

  it("updates the filters when the channel subscribes to the same feed again", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
    const again = await app.ask(
      `subscribe ${feeds.url("hatena-hotentry-it.rdf")} include:redis,監視 exclude:unicorn min:50`,
    );
    expect(again.text).toContain("already follows");
    expect(again.text).toContain("include:redis,監視 exclude:unicorn min:50");
    // Redis ×2 (156, 98) and 監視 (341, 64) pass min:50; nothing else does.
    expect(again.text).toContain("4 of its 8 articles pass them");
    expect(await countRows("subscriptions")).toBe(1);
    expect(await countRows("articles")).toBe(8);
    const list = await app.ask("list");
    expect(list.text).toContain("include:redis,監視 exclude:unicorn min:50");
  });

  it("keeps one article per canonical URL across feeds", async () => {
    // The Hatena feed and the JSON Feed both carry the ElastiCache article.
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
    await app.ask(`subscribe ${feeds.url("ops-links.json")}`);
    expect(await countRows("articles")).toBe(8 + 3 - 1);
    const shared = await app.db
      .selectFrom("articles")
      .select(["bookmark_count"])
      .where("canonical_url", "=", "https://medley.example.com/elasticache-redis-memory")
      .executeTakeFirstOrThrow();
    // The JSON Feed has no bookmark count and must not erase Hatena's.
    expect(shared.bookmark_count).toBe(156);
  });

  it("answers in Japanese to a Japanese user", async () => {
    const reply = await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`, {
      userId: "UKENJI",
    });
    expect(reply.text).toContain("購読しました");
    expect(reply.text).toContain("平日");
  });
});

describe("subscribe refuses what it cannot read, and stores nothing", () => {
  async function expectRefusal(url: string, reason: string | RegExp) {
    const reply = await app.ask(`subscribe ${url}`);
    expect(reply.text).toMatch(reason);
    expect(await countRows("feeds")).toBe(0);
    expect(await countRows("subscriptions")).toBe(0);
    expect(await countRows("articles")).toBe(0);
    expect(await countRows("channels")).toBe(0);
  }

  it("a malformed feed", async () => {
    await expectRefusal(
      feeds.url("malformed.xml"),
      /could not be read because it is broken \(.+\)/,
    );
  });

  it("an entity-expansion bomb", async () => {
    await expectRefusal(feeds.url("billion-laughs.xml"), /entit/i);
  });

  it("a web page that is not a feed", async () => {
    feeds.set("/blog", {
      body: "<!doctype html><html><head><title>Blog</title></head><body>hi</body></html>",
      contentType: "text/html",
    });
    await expectRefusal(feeds.url("/blog"), /web page/i);
  });

  it("a 404", async () => {
    await expectRefusal(feeds.url("/missing.rss"), /404/);
  });

  it("a server that does not exist", async () => {
    await expectRefusal("http://no-such-host.invalid/feed", /no-such-host\.invalid/);
  });

  it("a private address, by default", async () => {
    const strict = await startTestApp({ env: { OPSFEED_ALLOW_PRIVATE_NETWORKS: "false" } });
    try {
      const reply = await strict.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
      expect(reply.text).toContain("private or internal network address");
      expect(reply.text).toContain("OPSFEED_ALLOW_PRIVATE_NETWORKS");
      expect(feeds.requests).toHaveLength(0);
      const metadata = await strict.ask("subscribe http://169.254.169.254/latest/meta-data/");
      expect(metadata.text).toContain("169.254.169.254");
      expect(metadata.text).toContain("private or internal");
    } finally {
      await strict.stop();
    }
  });
});

describe("unsubscribe", () => {
  it("removes a subscription by id or by URL, and says when there is none", async () => {
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    await app.ask(`subscribe ${feeds.url("engineering-blog.atom")}`);
    const byId = await app.ask("unsubscribe 1");
    expect(byId.text).toContain("Unsubscribed this channel from");
    expect(byId.text).toContain("Example Cloud Status - Incidents");
    const byUrl = await app.ask(`unsubscribe <${feeds.url("engineering-blog.atom")}#top>`);
    expect(byUrl.text).toContain("Example Engineering Blog");
    expect(await countRows("subscriptions")).toBe(0);
    const missing = await app.ask("unsubscribe 1");
    expect(missing.text).toContain("This channel has no subscription #1");
    expect((await app.ask("list")).text).toContain("no subscriptions yet");
  });

  it("only touches this channel's subscriptions", async () => {
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`, { channelId: "C_OTHER" });
    const reply = await app.ask("unsubscribe 1", { channelId: "C_OPS" });
    expect(reply.text).toContain("no subscription #1");
    expect(await countRows("subscriptions")).toBe(1);
  });
});

describe("feed text reaching Slack", () => {
  it("is escaped, so a feed title cannot mention the channel or forge a link", async () => {
    feeds.set("/hostile.json", {
      body: JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        title: "<!channel> <@UALICE> <https://evil.example|click> & more",
        items: [{ id: "1", url: "https://ok.example/1", title: "fine" }],
      }),
      contentType: "application/feed+json",
    });
    const reply = await app.ask(`subscribe ${feeds.url("/hostile.json")}`);
    const list = await app.ask("list");
    for (const message of [reply.raw, list.raw]) {
      const all = JSON.stringify(message);
      expect(all).not.toContain("<!channel>");
      expect(all).not.toContain("<@UALICE>");
      expect(all).not.toContain("<https://evil.example|click>");
      expect(textOf(message)).toContain("&lt;!channel&gt;");
    }
  });
});

describe("list", () => {
  it("shows the last error of a failing feed", async () => {
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    await app.db
      .updateTable("feeds")
      .set({
        last_error_code: "fetch.http-status",
        last_error_params: JSON.stringify({ status: 503 }),
        consecutive_failures: 3,
      })
      .execute();
    const list = await app.ask("list");
    expect(list.text).toContain("last error (3 in a row)");
    expect(list.text).toContain("503");
  });

  it("stays within Slack's block limit with many subscriptions", async () => {
    for (let i = 0; i < 30; i++) {
      feeds.set(`/feed-${i}.json`, {
        body: JSON.stringify({
          version: "https://jsonfeed.org/version/1.1",
          title: `Feed ${i}`,
          items: [],
        }),
        contentType: "application/feed+json",
      });
      await app.ask(`subscribe ${feeds.url(`/feed-${i}.json`)}`);
    }
    const list = await app.ask("list");
    expect(list.blocks.length).toBeLessThanOrEqual(50);
    expect(list.text).toContain("Feed 0");
    expect(list.text).toContain("more subscriptions not shown");
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jsonFeed, manyItems } from "./support/factories.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
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

const TABLES = [
  "feeds",
  "subscriptions",
  "articles",
  "feed_articles",
  "channels",
  "digests",
  "outbox",
  "article_channels",
  "read_later",
] as const;

/** Every table's row count: what "nothing stored" is checked against. */
async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await app.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

describe("/opsfeed preview", () => {
  it("shows the matching articles and what each filter dropped, and stores nothing", async () => {
    // An existing subscription of another feed: preview must leave it and its rows alone.
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    const before = await rowCounts();
    const reply = await app.ask(
      `preview ${feeds.url("hatena-hotentry-it.rdf")} include:redis,監視 exclude:時限爆弾 min:50`,
    );
    expect(reply.raw.response_type).toBe("ephemeral");
    // 8 articles: min:50 drops 23 and 12; of the 6 left, include drops the two that mention
    // neither word; exclude drops the Redis time-bomb article; 3 pass.
    expect(reply.text).toContain("8 articles, *3* pass the filters. Nothing was stored.");
    expect(reply.text).toContain("`include:` 2, `exclude:` 1, `min:` 2");
    expect(reply.text).toContain("ElastiCache for Redis");
    expect(reply.text).toContain("誰が監視者を監視するのか");
    expect(reply.text).not.toContain("時限爆弾になる");
    expect(reply.text).not.toContain("unicorn-worker-killer");
    // The bookmark count, linked to the bookmark comment page.
    expect(reply.text).toMatch(/<https:\/\/b\.hatena\.example\/entry\/[^|]+\|156 users>/);
    expect(await rowCounts()).toEqual(before);
    // Posted nothing anywhere: only the ephemeral answer.
    expect(app.fakeSlack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("without filters says every article would be delivered", async () => {
    const reply = await app.ask(`preview ${feeds.url("engineering-blog.atom")}`);
    expect(reply.text).toContain("3 articles, *3* pass the filters");
    expect(reply.text).toContain("No filters: every article would be delivered.");
    expect(await rowCounts()).toEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));
  });

  it("says so when nothing passes", async () => {
    const reply = await app.ask(`preview ${feeds.url("engineering-blog.atom")} include:zzzz`);
    expect(reply.text).toContain("*0* pass the filters");
    expect(reply.text).toContain("`include:` 3, `exclude:` 0, `min:` 0");
    expect(reply.text).toContain("No article of the feed passes these filters right now.");
  });

  it("lists the first 10 matches and counts the rest, within Slack's limits", async () => {
    feeds.set("/many.json", jsonFeed("Many", manyItems(45)));
    const reply = await app.ask(`preview ${feeds.url("/many.json")}`);
    expect(reply.text).toContain("45 articles, *45* pass the filters");
    expect(reply.text).toContain("… and 35 more.");
    expect(reply.text).toContain("Incident review n9 ");
    expect(reply.text).not.toContain("Incident review n10 ");
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    for (const block of reply.blocks as Array<{ text?: { text: string } }>) {
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    }
  });

  it("escapes what the feed says", async () => {
    feeds.set(
      "/evil.json",
      jsonFeed("<!channel> feed", [
        { id: "x", title: "<!here> <@U123> <https://evil.example|click>" },
      ]),
    );
    const reply = await app.ask(`preview ${feeds.url("/evil.json")}`);
    expect(reply.text).toContain("&lt;!here&gt; &lt;@U123&gt;");
    expect(reply.text).not.toContain("<!here>");
    expect(reply.text).not.toContain("<!channel>");
    expect(reply.text).not.toContain("<@U123>");
  });

  it("answers a feed that cannot be fetched or parsed with the reason, storing nothing", async () => {
    const broken = await app.ask(`preview ${feeds.url("malformed.xml")}`);
    expect(broken.text).toMatch(/not a feed|could not be read|parse|XML/i);
    const missing = await app.ask(`preview ${feeds.url("/nope.rss")}`);
    expect(missing.text).toContain("404");
    expect(await rowCounts()).toEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));
  });

  it("shows preview's usage when the URL is missing or wrong", async () => {
    const reply = await app.ask("preview notaurl");
    expect(reply.text).toContain("`notaurl` is not an http or https URL.");
    expect(reply.text).toContain("/opsfeed preview &lt;feed-url&gt;");
  });

  it("answers in Japanese", async () => {
    const reply = await app.ask(`preview ${feeds.url("hatena-hotentry-it.rdf")} min:100`, {
      userId: "UKENJI",
    });
    expect(reply.text).toContain("のプレビュー");
    expect(reply.text).toContain("記事 8 件のうち *4* 件がフィルタを通ります");
    expect(reply.text).toContain("`min:` 4 件");
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { jsonFeed } from "./support/factories.js";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";
import { createTestDatabase, type TestDatabase } from "./support/test-database.js";

/*
 * Two opsfeed apps on one database and one Slack, as behind a load balancer: whichever
 * receives a request, the team sees one consistent result.
 */

let fakeSlack: FakeSlack;
let feeds: FeedServer;
let clock: FakeClock;
let database: TestDatabase;
let first: TestApp;
let second: TestApp;

beforeEach(async () => {
  fakeSlack = await startFakeSlack();
  for (const [id, name] of [
    ["UALICE", "alice"],
    ["UBOB", "bob"],
    ["UCAROL", "carol"],
  ] as const) {
    fakeSlack.addUser({ id, name, locale: "en-US" });
  }
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url };
  first = await startTestApp({ clock, fakeSlack, env });
  second = await startTestApp({ clock, fakeSlack, env });
});

afterEach(async () => {
  await first.stop();
  await second.stop();
  await fakeSlack.close();
  await feeds.close();
  await database.drop();
});

function clickReadLater(app: TestApp, userId: string, articleId: number) {
  const digest = fakeSlack.postedMessages("C_OPS").find((message) => message.metadata);
  return app.slack.blockActions({
    user: { id: userId },
    container: { type: "message", message_ts: digest?.ts, channel_id: "C_OPS" },
    channel: { id: "C_OPS", name: "ops" },
    actions: [
      {
        type: "button",
        action_id: "article_read_later",
        block_id: `article-${articleId}`,
        value: String(articleId),
        text: { type: "plain_text", text: "Read later" },
        action_ts: "1700000000.000001",
      },
    ],
  });
}

describe("two apps on one database", () => {
  it("coalesces the team's clicks through both apps into a digest line with every count", async () => {
    feeds.set("/one.json", jsonFeed("One", [{ id: "a", title: "First" }]));
    await first.ask(`subscribe ${feeds.url("/one.json")}`);
    clock.advance(60_000);
    expect((await second.ask("digest now")).text).toContain("Posted the digest");
    const article = await first.db.selectFrom("articles").select("id").executeTakeFirstOrThrow();

    await Promise.all([
      clickReadLater(first, "UALICE", article.id),
      clickReadLater(second, "UBOB", article.id),
      clickReadLater(second, "UCAROL", article.id),
      first.ask(`comment ${article.id} worth it`, { userId: "UBOB" }),
      second.ask(`comment ${article.id} agreed`, { userId: "UCAROL" }),
    ]);
    // Once the clicks settle, the posted message shows all of them, whichever app edited last.
    const line = await fakeSlack.waitUntil(
      () => {
        const digest = fakeSlack.postedMessages("C_OPS").find((message) => message.metadata);
        const blocks = (digest?.blocks ?? []) as Array<{ block_id?: string }>;
        const activity = blocks.find(
          (block) => block.block_id === `article-${article.id}-activity`,
        );
        const text = activity ? textOf({ blocks: [activity] }) : "";
        return text.includes("📚 3") && text.includes("💬 2") ? text : undefined;
      },
      "the digest line with 3 saves and 2 comments",
      10_000,
    );
    expect(line).toContain("📚 3");
    expect(line).toContain("💬 2");
    // Nothing is left for either app to show: the edit recorded the last change it showed.
    let row = { activity_version: 0, shown_version: -1 };
    for (let tries = 0; tries < 50 && row.shown_version !== row.activity_version; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      row = await first.db
        .selectFrom("digest_messages")
        .select(["activity_version", "shown_version"])
        .executeTakeFirstOrThrow();
    }
    expect(row.activity_version).toBe(5);
    expect(row.shown_version).toBe(5);
  });

  it("posts a channel's digest once when both apps are asked at the same moment", async () => {
    feeds.set("/one.json", jsonFeed("One", [{ id: "a", title: "First" }]));
    await first.ask(`subscribe ${feeds.url("/one.json")}`);
    clock.advance(60_000);
    const replies = await Promise.all([first.ask("digest now"), second.ask("digest now")]);
    expect(replies.filter((reply) => reply.text.includes("Posted the digest"))).toHaveLength(1);
    expect(replies.filter((reply) => reply.text.includes("Nothing new"))).toHaveLength(1);
    expect(fakeSlack.postedMessages("C_OPS").filter((message) => message.metadata)).toHaveLength(1);
  });
});

import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARTICLE_ACTIONS } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { jsonFeed } from "./support/factories.js";
import { type FeedServer, fixture, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * `hatena <article>` and the Hatena comments button, against a loopback stand-in for Hatena
 * Bookmark's entry API (`entry/jsonlite/?url=…`).
 */

let app: TestApp;
let feeds: FeedServer;
let hatena: FeedServer;
let clock: FakeClock;
/** the article URLs the stand-in was asked about, in order */
let asked: string[];
/** what the stand-in answers for an article URL */
let answer: (url: string, res: ServerResponse) => void;

const REDIS = "https://medley.example.com/elasticache-redis-memory";

function json(res: ServerResponse, body: unknown, status = 200) {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** `count` bookmarks, the newest first, every other one with a comment. */
function bookmarks(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const minute = String(59 - (i % 60)).padStart(2, "0");
    const hour = String(23 - Math.floor(i / 60)).padStart(2, "0");
    return {
      user: `user${i}`,
      tags: i % 3 === 0 ? ["redis", "aws"] : [],
      timestamp: `2026/11/24 ${hour}:${minute}`,
      comment: i % 2 === 0 ? `comment ${i}` : "",
    };
  });
}

beforeEach(async () => {
  feeds = await startFeedServer();
  hatena = await startFeedServer();
  asked = [];
  answer = (_url, res) => json(res, null);
  hatena.set("/hatena/entry/jsonlite/", (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x").searchParams.get("url") ?? "";
    asked.push(url);
    answer(url, res);
  });
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  app = await startTestApp({
    clock,
    pause: async () => {},
    env: { HATENA_API_URL: hatena.url("/hatena/") },
  });
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UBOB", name: "bob", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP" });
  app.fakeSlack.addChannel({ id: "C_OPS", name: "ops" });
  app.fakeSlack.addChannel({ id: "G_SECRET", name: "secret", isPrivate: true, members: ["UBOB"] });
  await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
  await hatena.close();
});

async function idOf(url: string): Promise<number> {
  const row = await app.db
    .selectFrom("articles")
    .select("id")
    .where("canonical_url", "=", url)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("/opsfeed hatena", () => {
  it("shows the newest 20 comments with user, tags and time, and links the rest", async () => {
    answer = (_url, res) => json(res, { count: 60, bookmarks: bookmarks(60) });
    const reply = await app.ask(`hatena ${REDIS}`);
    expect(asked).toEqual([REDIS]);
    expect(reply.text).toContain(
      `*Hatena Bookmark comments on *#${await idOf(REDIS)}* <${REDIS}|ElastiCache for Redis`,
    );
    expect(reply.text).toContain("60 bookmarks, 30 with a comment, newest first.");
    // user0 bookmarked at 23:59 JST on the 24th: 14:59 UTC.
    expect(reply.text).toContain(
      "*user0* `redis` `aws` · <!date^1795532340^{date_short_pretty} {time}|2026-11-24 14:59 UTC>\n> comment 0",
    );
    expect(reply.text).toContain("*user38*");
    expect(reply.text).not.toContain("*user40*");
    expect(reply.text).not.toContain("*user1*");
    const order = ["user0", "user2", "user4"].map((user) => reply.text.indexOf(`*${user}*`));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(reply.text).toContain(
      `… 10 more on <${hatena.url("/hatena/entry/s/medley.example.com/elasticache-redis-memory")}|Hatena Bookmark>.`,
    );
    expect(reply.blocks.length).toBeLessThanOrEqual(50);
    expect(reply.raw.response_type).toBe("ephemeral");
  });

  it("sorts by time even when Hatena does not, and escapes everything", async () => {
    answer = (_url, res) =>
      json(res, {
        count: 3,
        bookmarks: [
          { user: "old", tags: [], timestamp: "2026/11/20 09:00", comment: "older" },
          {
            user: "<!channel>",
            tags: ["<@U1>", "a`b"],
            timestamp: "2026/11/24 09:00",
            comment: "<!here> see <https://evil.example|this> & more\n> quoted",
          },
          { user: "mid", tags: [], timestamp: "2026/11/22 09:00", comment: "middle" },
        ],
      });
    const reply = await app.ask(`hatena ${REDIS}`);
    expect(reply.text).toContain("*&lt;!channel&gt;* `&lt;@U1&gt;` `a'b`");
    expect(reply.text).toContain("&lt;!here&gt; see &lt;https://evil.example|this&gt; &amp; more");
    expect(reply.text).not.toMatch(/<!here>|<!channel>|<@U1>|<https:\/\/evil/);
    const positions = ["&lt;!channel&gt;", "*mid*", "*old*"].map((s) => reply.text.indexOf(s));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it("says so when the bookmarks have no comments, or nobody bookmarked it", async () => {
    answer = (_url, res) =>
      json(res, {
        count: 4,
        bookmarks: bookmarks(4).map((b) => ({ ...b, comment: "" })),
      });
    const none = await app.ask(`hatena ${REDIS}`);
    expect(none.text).toContain("No public comments on");
    expect(none.text).toContain("(4 bookmarks without a comment)");
    expect(none.text).toContain("|Open it on Hatena Bookmark>");
    const other = "https://qiita.example.com/items/redis-antipatterns";
    answer = (_url, res) => res.writeHead(200, { "content-type": "application/json" }).end("null");
    const nobody = await app.ask(`hatena ${other}`);
    expect(nobody.text).toContain("Nobody has bookmarked");
  });

  it("answers a 500 from Hatena in words", async () => {
    answer = (_url, res) => res.writeHead(500).end("oops");
    const reply = await app.ask(`hatena ${REDIS}`);
    expect(reply.text).toContain("Hatena Bookmark is having trouble (it answered HTTP 500)");
    // A failure is not cached: the next ask tries again.
    answer = (_url, res) => json(res, { count: 1, bookmarks: bookmarks(1) });
    expect((await app.ask(`hatena ${REDIS}`)).text).toContain("comment 0");
    expect(asked).toHaveLength(2);
  });

  it("answers a Hatena that does not answer in time", async () => {
    answer = () => {
      // never answers; the stand-in closes the connection when the test ends
    };
    const started = Date.now();
    const reply = await app.ask(`hatena ${REDIS}`);
    expect(reply.text).toContain("Hatena Bookmark did not answer within 4 seconds");
    expect(Date.now() - started).toBeLessThan(8000);
  }, 15_000);

  it("refuses a huge answer without reading it all", async () => {
    answer = (_url, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(`{"count":1,"bookmarks":[{"user":"x","comment":"${"a".repeat(3 * 1024 * 1024)}"}]}`);
    };
    const reply = await app.ask(`hatena ${REDIS}`);
    expect(reply.text).toContain("Hatena Bookmark's answer was larger than 2 MB");
  });

  it.each([
    ["not JSON", "<html>maintenance</html>"],
    ["JSON of another shape", '{"bookmarks":"many"}'],
    ["a bookmark without a user", '{"count":1,"bookmarks":[{"comment":"hi"}]}'],
  ])("answers %s as an unreadable answer", async (_what, body) => {
    answer = (_url, res) => res.writeHead(200, { "content-type": "application/json" }).end(body);
    const reply = await app.ask(`hatena ${REDIS}`);
    expect(reply.text).toContain("Hatena Bookmark's answer could not be read");
  });

  it("keeps Hatena's answer for a few minutes", async () => {
    answer = (_url, res) => json(res, { count: 2, bookmarks: bookmarks(2) });
    await app.ask(`hatena ${REDIS}`);
    await app.ask(`hatena ${await idOf(REDIS)}`);
    expect(asked).toHaveLength(1);
    clock.advance(6 * 60_000);
    await app.ask(`hatena ${REDIS}`);
    expect(asked).toHaveLength(2);
  });

  it("answers in Japanese", async () => {
    answer = (_url, res) => json(res, { count: 2, bookmarks: bookmarks(2) });
    const reply = await app.ask(`hatena ${REDIS}`, { userId: "UKENJI" });
    expect(reply.text).toContain(
      "へのはてなブックマークのコメント*: ブックマーク 2 件、うちコメント付き 1 件",
    );
  });

  it("does not reach Hatena for an article the user may not see", async () => {
    feeds.set("/secret.json", jsonFeed("Secret", [{ id: "p1", title: "Postmortem: secret" }]));
    await app.ask(`subscribe ${feeds.url("/secret.json")}`, {
      userId: "UBOB",
      channelId: "G_SECRET",
    });
    const secret = await idOf("https://articles.example/p1");
    const reply = await app.ask(`hatena ${secret}`);
    expect(reply.text).toContain(`There is no article #${secret} that you can see`);
    const inside = await app.ask(`hatena ${secret}`, { channelId: "G_SECRET" });
    expect(inside.text).toMatch(/private channel/i);
    expect(asked).toHaveLength(0);
    const bob = await app.ask(`hatena ${secret}`, { userId: "UBOB", channelId: "G_SECRET" });
    expect(bob.text).toContain("Nobody has bookmarked");
    expect(asked).toEqual(["https://articles.example/p1"]);
  });
});

describe("the Hatena comments button", () => {
  async function click(value: string, userId = "UALICE") {
    const message = app.fakeSlack.postedMessages("C_OPS").find((m) => m.metadata);
    if (!message) throw new Error("no digest in C_OPS");
    const sent = await app.slack.blockActions({
      user: { id: userId },
      container: { type: "message", message_ts: message.ts, channel_id: "C_OPS" },
      channel: { id: "C_OPS", name: "ops" },
      message: { type: "message", ts: message.ts, text: message.text, blocks: message.blocks },
      actions: [
        {
          type: "button",
          action_id: ARTICLE_ACTIONS.hatena,
          block_id: `article-${value}`,
          value,
          action_ts: "1700000000.000001",
        },
      ],
    });
    expect(sent.status).toBe(200);
    const response = await app.fakeSlack.waitForResponse(sent.responseUrlId as string);
    return { text: textOf(response.body), body: response.body };
  }

  it("sits under every Hatena article of the digest and shows its comments", async () => {
    await app.ask("digest now");
    const [digest] = app.fakeSlack.postedMessages("C_OPS");
    const hatenaButtons = (
      (digest?.blocks ?? []) as Array<{
        type: string;
        elements?: Array<{ action_id: string; value: string }>;
      }>
    )
      .filter((block) => block.type === "actions")
      .map((block) => block.elements?.find((e) => e.action_id === ARTICLE_ACTIONS.hatena)?.value);
    expect(hatenaButtons).toHaveLength(8);
    expect(hatenaButtons).toContain(String(await idOf(REDIS)));
    answer = (_url, res) => json(res, { count: 2, bookmarks: bookmarks(2) });
    const reply = await click(String(await idOf(REDIS)));
    expect(reply.body.response_type).toBe("ephemeral");
    expect(reply.body.replace_original).toBe(false);
    expect(reply.text).toContain("2 bookmarks, 1 with a comment");
    expect(asked).toEqual([REDIS]);
    // The digest itself is left alone.
    expect(app.fakeSlack.callsTo("chat.update")).toHaveLength(0);
  });

  it("refuses a forged value in words, and an article the user may not see", async () => {
    await app.ask("digest now");
    feeds.set("/secret.json", jsonFeed("Secret", [{ id: "p1", title: "Postmortem: secret" }]));
    await app.ask(`subscribe ${feeds.url("/secret.json")}`, {
      userId: "UBOB",
      channelId: "G_SECRET",
    });
    const secret = await idOf("https://articles.example/p1");
    const forged = await click(String(secret));
    expect(forged.text).toContain(`There is no article #${secret} that you can see`);
    const garbage = await click("-1");
    expect(garbage.text).toMatch(/not one opsfeed made|value/i);
    expect(asked).toHaveLength(0);
  });
});

describe("the digest line's bookmark count", () => {
  let redisId = 0;
  /** The text of the Redis article in a digest message's blocks. */
  function redisText(blocks: unknown): string {
    const block = (blocks as Array<{ block_id?: string; text?: { text: string } }>).find(
      (b) => b.block_id === `article-${redisId}-text`,
    );
    return block?.text?.text ?? "";
  }

  it("is refreshed in the posted digest when a poll brings a new count, once", async () => {
    redisId = await idOf(REDIS);
    await app.ask("digest now");
    const [digest] = app.fakeSlack.postedMessages("C_OPS");
    expect(redisText(digest?.blocks)).toContain("|🔖 156 users>");
    // Hatena's count grows; the next poll reads it.
    const body = fixture("hatena-hotentry-it.rdf")
      .toString("utf8")
      .replace("<hatena:bookmarkcount>156<", "<hatena:bookmarkcount>1234<");
    feeds.set("/hatena-hotentry-it.rdf", {
      body,
      etag: '"v2"',
      contentType: "application/rdf+xml",
    });
    clock.advance(10 * 60_000);
    await app.services.feeds.pollDue();
    await app.services.digestLines.flush();
    const updates = app.fakeSlack.callsTo("chat.update");
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args).toMatchObject({ channel: "C_OPS", ts: digest?.ts });
    const updated = redisText(updates[0]?.args.blocks);
    expect(updated).toContain("|🔖 1234 users>");
    expect(updated).not.toContain("156");
    // Only that article's line changed.
    const others = (blocks: unknown) => JSON.stringify(blocks).replace(/1234|156/g, "N");
    expect(others(updates[0]?.args.blocks)).toBe(others(digest?.blocks));
    // A poll that changes no count edits nothing.
    clock.advance(10 * 60_000);
    feeds.set("/hatena-hotentry-it.rdf", {
      body,
      etag: '"v3"',
      contentType: "application/rdf+xml",
    });
    await app.services.feeds.pollDue();
    await app.services.digestLines.flush();
    expect(app.fakeSlack.callsTo("chat.update")).toHaveLength(1);
    const why = await app.ask(`why ${REDIS}`);
    expect(why.text).toContain("It was posted in this channel's digest");
  });
});

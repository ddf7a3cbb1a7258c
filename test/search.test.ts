import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SEARCH_ACTIONS } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { type FeedRoute, type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * `/opsfeed search <words>` over real HTTP: a corpus of Japanese one-, two- and three-character
 * words, English, full-width and half-width forms, comments, a private channel's article and
 * comment, updates, deletions and paging.
 */

const ALICE = "UALICE";
const BOB = "UBOB";

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

interface Item {
  id: string;
  title: string;
  summary?: string;
  /** days before 2026-11-24 it was published */
  age?: number;
}

/** A JSON Feed whose items have summaries and dates. */
function feed(title: string, items: Item[]): FeedRoute {
  return {
    body: JSON.stringify({
      version: "https://jsonfeed.org/version/1.1",
      title,
      items: items.map((item) => ({
        id: item.id,
        url: `https://articles.example/${item.id}`,
        title: item.title,
        ...(item.summary ? { summary: item.summary } : {}),
        date_published: new Date(
          Date.UTC(2026, 10, 24) - (item.age ?? 0) * 86_400_000,
        ).toISOString(),
      })),
    }),
    contentType: "application/feed+json",
  };
}

const OPS_ITEMS: Item[] = [
  { id: "runbook", title: "障害対応の手順", age: 5 },
  { id: "cat", title: "うちの猫が好き", age: 4 },
  { id: "pg", title: "Postgres FAILOVER runbook", age: 3 },
  { id: "fullwidth", title: "ＡＢＣ１２３ release notes", age: 2 },
  { id: "halfwidth", title: "ｼｮｳｶﾞｲ報告 まとめ", age: 1 },
  { id: "weekly", title: "Weekly report", summary: "今週の障害はありません", age: 0 },
  { id: "disk", title: "Disk usage alert", age: 6 },
  { id: "old", title: "Old title alpha", age: 7 },
  { id: "gone", title: "Deleted article gamma", age: 8 },
];

/** The article number of the item with this id. */
async function idOf(item: string): Promise<number> {
  const row = await app.db
    .selectFrom("articles")
    .select("id")
    .where("url", "=", `https://articles.example/${item}`)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** What `user` reads after `/opsfeed search <words>` in `channelId`. */
async function search(words: string, userId = ALICE, channelId = "C_OPS") {
  return app.ask(`search ${words}`, { userId, channelId });
}

/** The article numbers a search reply lists, in order. */
function hitNumbers(text: string): number[] {
  return [...text.matchAll(/^\d+\. \*#(\d+)\*/gm)].map((m) => Number(m[1]));
}

/** Clicks a search Next button with `value` in `channelId`; the response Slack got. */
async function clickNext(value: string, userId = ALICE, channelId = "C_OPS") {
  const sent = await app.slack.blockActions({
    user: { id: userId },
    channel: { id: channelId, name: "ops" },
    container: { type: "message", channel_id: channelId, message_ts: "1.1" },
    actions: [
      {
        type: "button",
        action_id: SEARCH_ACTIONS.nextPage,
        block_id: "search-next",
        value,
        text: { type: "plain_text", text: "Next" },
        action_ts: "1.2",
      },
    ],
  });
  expect(sent.status).toBe(200);
  return app.fakeSlack.waitForResponse(sent.responseUrlId as string);
}

/** The value of the Next button in a reply's blocks, if there is one. */
function nextValue(blocks: unknown[]): string | undefined {
  for (const block of blocks as {
    type: string;
    elements?: { action_id?: string; value?: string }[];
  }[]) {
    const next = block.elements?.find((element) => element.action_id === SEARCH_ACTIONS.nextPage);
    if (next) return next.value;
  }
  return undefined;
}

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  app = await startTestApp({ clock, pause: async () => {} });
  app.fakeSlack.addUser({ id: ALICE, name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: BOB, name: "bob", locale: "en-US" });
  app.fakeSlack.addChannel({ id: "C_OPS", name: "ops", members: [ALICE, BOB] });
  app.fakeSlack.addChannel({ id: "G_PRIV", name: "incident", isPrivate: true, members: [ALICE] });
  feeds.set("/ops.json", feed("Ops news", OPS_ITEMS));
  feeds.set(
    "/private.json",
    feed("Private", [{ id: "secret", title: "障害 secret postmortem 猫" }]),
  );
  await app.ask(`subscribe ${feeds.url("/ops.json")}`, { userId: ALICE, channelId: "C_OPS" });
  await app.ask(`subscribe ${feeds.url("/private.json")}`, { userId: ALICE, channelId: "G_PRIV" });
  await app.ask(`comment ${await idOf("disk")} root cause was an expired 証明書`, {
    userId: ALICE,
    channelId: "C_OPS",
  });
  await app.ask(`comment ${await idOf("pg")} hushword from the incident room`, {
    userId: ALICE,
    channelId: "G_PRIV",
  });
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

// Every search twice: with what the poll stored still in the search backlog (read row by row),
// and after the indexer wrote it into the indexes (on Postgres there is no backlog).
describe.each(["in the backlog", "indexed"])("search, articles %s", (state) => {
  beforeEach(async () => {
    if (state === "indexed") await app.services.search.indexBacklog();
  });

  it("finds Japanese words of one, two and three or more characters", async () => {
    const runbook = await idOf("runbook");
    const cat = await idOf("cat");
    expect(hitNumbers((await search("障害対応")).text)).toEqual([runbook]);
    expect(hitNumbers((await search("猫")).text)).toEqual([cat]);
    // Title hits first (newest first among them), then the summary-only hit.
    const two = hitNumbers((await search("障害")).text);
    expect(two).toEqual([runbook, await idOf("weekly")]);
    expect(hitNumbers((await search("手順")).text)).toEqual([runbook]);
    expect(hitNumbers((await search("の")).text)).toEqual(
      expect.arrayContaining([runbook, cat, await idOf("weekly")]),
    );
  });

  it("ignores case and width: full-width ＡＢＣ１２３, half-width ｶﾀｶﾅ, upper-case English", async () => {
    const fullwidth = await idOf("fullwidth");
    expect(hitNumbers((await search("abc123")).text)).toEqual([fullwidth]);
    expect(hitNumbers((await search("ＡＢＣ")).text)).toEqual([fullwidth]);
    expect(hitNumbers((await search("ショウガイ")).text)).toEqual([await idOf("halfwidth")]);
    expect(hitNumbers((await search("ｼｮｳ")).text)).toEqual([await idOf("halfwidth")]);
    const pg = await idOf("pg");
    expect(hitNumbers((await search("failover")).text)).toEqual([pg]);
    expect(hitNumbers((await search("POSTGRES Runbook")).text)).toEqual([pg]);
    // Words an IME separates with the full-width space.
    expect(hitNumbers((await search("ＰＯＳＴＧＲＥＳ　ｒｕｎｂｏｏｋ")).text)).toEqual([pg]);
  });

  it("requires every word", async () => {
    expect(hitNumbers((await search("postgres runbook")).text)).toEqual([await idOf("pg")]);
    const none = await search("postgres 猫");
    expect(hitNumbers(none.text)).toEqual([]);
    expect(none.text).toContain("No article this channel has seen matches “postgres 猫”");
  });

  it("finds an article by a comment made in the channel", async () => {
    const reply = await search("証明書");
    expect(hitNumbers(reply.text)).toEqual([await idOf("disk")]);
    // A word of the title and a word of the comment together.
    expect(hitNumbers((await search("disk 証明書")).text)).toEqual([await idOf("disk")]);
    expect(hitNumbers((await search("cause", BOB)).text)).toEqual([await idOf("disk")]);
  });

  it("shows each hit with its number, linked title, source and the article buttons", async () => {
    const reply = await search("猫");
    const cat = await idOf("cat");
    expect(reply.text).toContain(`1. *#${cat}* <https://articles.example/cat|うちの猫が好き>`);
    expect(reply.text).toContain("Ops news");
    const actions = (
      reply.blocks as { block_id?: string; elements?: { action_id: string; value: string }[] }[]
    ).find((block) => block.block_id === `search-${cat}`);
    expect(actions?.elements?.map((element) => [element.action_id, element.value])).toEqual([
      ["article_read_later", String(cat)],
      ["article_assign", String(cat)],
      ["article_comment", String(cat)],
      ["article_done", String(cat)],
    ]);
    expect(nextValue(reply.blocks)).toBeUndefined();
  });

  it("never finds another channel's private article, nor a private channel's comment for outsiders", async () => {
    // The private feed's article has 障害 and 猫 in its title: not found from #ops.
    const secret = await idOf("secret");
    for (const words of ["障害", "猫", "secret", "postmortem"]) {
      expect(hitNumbers((await search(words)).text)).not.toContain(secret);
      expect(hitNumbers((await search(words, BOB)).text)).not.toContain(secret);
    }
    // The comment made in G_PRIV on a public article: Bob is not in G_PRIV.
    const bob = await search("hushword", BOB);
    expect(hitNumbers(bob.text)).toEqual([]);
    expect(bob.text).not.toContain("FAILOVER");
    // Alice may read G_PRIV, so its comment counts for her.
    expect(hitNumbers((await search("hushword")).text)).toEqual([await idOf("pg")]);
    // In the private channel, its own article is found by its members.
    expect(hitNumbers((await search("secret", ALICE, "G_PRIV")).text)).toEqual([secret]);
    // And an outsider cannot search there at all.
    const refused = await search("secret", BOB, "G_PRIV");
    expect(hitNumbers(refused.text)).toEqual([]);
    expect(refused.text).toContain("private channel you are not a member of");
  });

  it("follows updates and deletions of articles", async () => {
    const old = await idOf("old");
    expect(hitNumbers((await search("alpha")).text)).toEqual([old]);
    feeds.set(
      "/ops.json",
      feed(
        "Ops news",
        OPS_ITEMS.map((item) => (item.id === "old" ? { ...item, title: "New title beta" } : item)),
      ),
    );
    clock.advance(60 * 60_000);
    await app.ask("digest now", { userId: ALICE, channelId: "C_OPS" });
    expect(hitNumbers((await search("alpha")).text)).toEqual([]);
    expect(hitNumbers((await search("beta")).text)).toEqual([old]);

    const gone = await idOf("gone");
    expect(hitNumbers((await search("gamma")).text)).toEqual([gone]);
    expect(hitNumbers((await search("mm")).text)).toEqual([gone]);
    await app.db.deleteFrom("articles").where("id", "=", gone).execute();
    expect(hitNumbers((await search("gamma")).text)).toEqual([]);
    expect(hitNumbers((await search("mm")).text)).toEqual([]);
  });

  it("finds a saved page that reached the channel through a comment", async () => {
    feeds.set("/page.html", {
      body: "<html><head><title>監視ダッシュボードの設計</title></head><body></body></html>",
      contentType: "text/html; charset=utf-8",
    });
    await app.ask(`comment ${feeds.url("/page.html")} worth reading`, {
      userId: BOB,
      channelId: "C_OPS",
    });
    const page = await app.db
      .selectFrom("articles")
      .select("id")
      .where("url", "=", feeds.url("/page.html"))
      .executeTakeFirstOrThrow();
    expect(hitNumbers((await search("ダッシュボード")).text)).toEqual([page.id]);
    expect(hitNumbers((await search("監視")).text)).toEqual([page.id]);
  });

  it("pages 10 at a time with Next, checking access again", async () => {
    feeds.set(
      "/many.json",
      feed(
        "Many",
        Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, title: `遅延 report ${i}`, age: i })),
      ),
    );
    await app.ask(`subscribe ${feeds.url("/many.json")}`, { userId: ALICE, channelId: "C_OPS" });
    const first = await search("遅延");
    const expected = await Promise.all(Array.from({ length: 12 }, (_, i) => idOf(`m${i}`)));
    expect(hitNumbers(first.text)).toEqual(expected.slice(0, 10));
    expect(first.text).toContain("(1–10, more follow)");
    const value = nextValue(first.blocks);
    expect(value).toBeDefined();

    const second = await clickNext(value as string);
    expect(second.body.replace_original).toBe(true);
    const text = textOf(second.body);
    expect(hitNumbers(text)).toEqual(expected.slice(10));
    expect(text).toContain("11. ");
    expect(nextValue((second.body.blocks as unknown[]) ?? [])).toBeUndefined();

    // The same button in a private channel the clicker is not in: refused, nothing shown.
    const outsider = await clickNext(value as string, BOB, "G_PRIV");
    expect(textOf(outsider.body)).toContain("private channel you are not a member of");
    expect(outsider.body.replace_original).toBe(false);
  });

  it("refuses forged Next values in words", async () => {
    for (const forged of [
      "not json",
      JSON.stringify({ q: "障害", o: -1 }),
      JSON.stringify({ q: "障害", o: 5000 }),
      JSON.stringify({ q: "", o: 10 }),
      JSON.stringify({ q: "障害", o: 10, extra: 1 }),
    ]) {
      const response = await clickNext(forged);
      expect(textOf(response.body)).toContain("carries a value opsfeed did not make");
    }
    const long = await clickNext(JSON.stringify({ q: "a".repeat(300), o: 10 }));
    expect(textOf(long.body)).toContain("at most 200");
  });

  it("takes words that look like search syntax literally", async () => {
    for (const words of [
      '"',
      '"障害',
      "c#",
      "100%",
      "a_b",
      "-",
      "AND",
      "NEAR(x",
      "*",
      "zq OR qz",
      "\\",
    ]) {
      const reply = await search(words);
      expect(reply.text, words).toContain("No article this channel has seen matches");
    }
    // A wildcard is a character like any other: `_` does not stand for one.
    expect(hitNumbers((await search("postgres_failover")).text)).toEqual([]);
    expect(hitNumbers((await search("old%alpha")).text)).toEqual([]);
  });

  it("answers an empty query with usage and refuses over-long ones in words", async () => {
    for (const text of ["search", "search    ", "search 　　"]) {
      const reply = await app.ask(text, { userId: ALICE, channelId: "C_OPS" });
      expect(reply.text).toContain("needs `&lt;words&gt;`");
      expect(reply.text).toContain("/opsfeed search &lt;words&gt;");
    }
    const long = await search("障".repeat(201));
    expect(long.text).toContain("201 characters long; opsfeed searches for at most 200");
    const many = await search("a b c d e f g h i j k");
    expect(many.text).toContain("11 words; opsfeed searches for at most 10");
  });

  it("speaks Japanese", async () => {
    app.fakeSlack.addUser({ id: "UHANAKO", name: "hanako", locale: "ja-JP" });
    const reply = await search("猫", "UHANAKO");
    expect(reply.text).toContain("このチャンネルで見た記事のうち “猫” に一致するもの");
    const none = await search("存在しない語", "UHANAKO");
    expect(none.text).toContain("一致するものはありません");
  });
});

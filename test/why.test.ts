import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { jsonFeed } from "./support/factories.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

const REDIS = "https://medley.example.com/elasticache-redis-memory";
const AWS = "https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage";
const UNICORN = "https://dev.example.jp/unicorn-worker-killer";

/** Slack's date token for an ISO time, as opsfeed writes it. */
function dateToken(iso: string): string {
  return `<!date^${Date.parse(iso) / 1000}^{date_short_pretty} {time}|${iso.replace("T", " ").slice(0, 16)} UTC>`;
}

async function idOf(url: string): Promise<number> {
  const row = await app.db
    .selectFrom("articles")
    .select("id")
    .where("canonical_url", "=", url)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function startWith(env: Record<string, string> = {}) {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  app = await startTestApp({ clock, pause: async () => {}, env });
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UBOB", name: "bob", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP" });
  app.fakeSlack.addChannel({ id: "C_OPS", name: "ops" });
  app.fakeSlack.addChannel({ id: "C_DEV", name: "dev" });
  app.fakeSlack.addChannel({ id: "G_SECRET", name: "secret", isPrivate: true, members: ["UBOB"] });
}

describe("/opsfeed why", () => {
  beforeEach(() => startWith());
  afterEach(async () => {
    await app.stop();
    await feeds.close();
  });

  it("a posted article: the digest's date and a link to its message", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
    clock.set("2026-11-25T11:00:00.000Z");
    await app.ask("digest now");
    const [posted] = app.fakeSlack.postedMessages("C_OPS");
    const reply = await app.ask(`why ${REDIS}`);
    expect(reply.text).toContain(`*What became of *#${await idOf(REDIS)}* <${REDIS}|`);
    expect(reply.text).toContain(
      `It was posted in this channel's digest of ${dateToken("2026-11-25T11:00:00.000Z")}`,
    );
    expect(reply.text).toContain(
      `<https://test-team.slack.com/archives/C_OPS/p${posted?.ts.replace(".", "")}|open the message>`,
    );
    expect(reply.text).toContain("carries it (no filters)");
    expect(app.fakeSlack.callsTo("chat.getPermalink")).toHaveLength(1);
    expect(app.fakeSlack.callsTo("chat.getPermalink")[0]?.args).toMatchObject({
      channel: "C_OPS",
      message_ts: posted?.ts,
    });
  });

  it("a posted article whose permalink Slack refuses still gives the digest's date", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
    await app.ask("digest now");
    app.fakeSlack.failNext("chat.getPermalink", { error: "message_not_found" });
    const reply = await app.ask(`why ${REDIS}`);
    expect(reply.text).toContain(
      `It was posted in this channel's digest of ${dateToken("2026-11-25T10:00:00.000Z")}`,
    );
    expect(reply.text).not.toContain("open the message");
  });

  it("an article in a digest still being posted says so", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
    // Slack rate-limits the digest: it is claimed, its message waits in the outbox.
    app.fakeSlack.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 600 });
    await app.ask("digest now");
    expect(app.fakeSlack.postedMessages("C_OPS")).toHaveLength(0);
    const reply = await app.ask(`why ${REDIS}`);
    expect(reply.text).toContain(
      `It is in this channel's digest that is being posted now (started ${dateToken("2026-11-25T10:00:00.000Z")})`,
    );
    expect(app.fakeSlack.callsTo("chat.getPermalink")).toHaveLength(0);
  });

  it("a new article waits for the next digest, with when it is due", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")} include:redis`);
    const reply = await app.ask(`why ${REDIS}`);
    // Wednesday 10:00 UTC: the default schedule's next digest is Thursday 09:00.
    expect(reply.text).toContain(
      `It is new and waits for the next digest, due ${dateToken("2026-11-26T09:00:00.000Z")}`,
    );
    expect(reply.text).toContain("carries it, and it passes `include:redis`");
  });

  it("with the digest off, says so and how to post it", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
    await app.ask("digest off");
    const reply = await app.ask(`why ${REDIS}`);
    expect(reply.text).toContain("this channel's digest is off: `/opsfeed digest now` posts it");
  });

  it("an include: filter: the words, none of which matched", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")} include:redis,kubernetes`);
    const reply = await app.ask(`why ${AWS}`);
    expect(reply.text).toContain(
      "every subscription of this channel that carries it drops it with its filters",
    );
    expect(reply.text).toContain(
      "dropped by `include:`: none of `redis`, `kubernetes` is in its title or summary",
    );
  });

  it("an exclude: filter: the word that matched", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")} exclude:pr,ＵＮＩＣＯＲＮ`);
    const reply = await app.ask(`why ${UNICORN}`);
    expect(reply.text).toContain(
      "dropped by `exclude:`: its title or summary contains `ＵＮＩＣＯＲＮ`",
    );
  });

  it("a min: filter: the article's count against N", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")} min:100`);
    const reply = await app.ask(`why ${UNICORN}`);
    expect(reply.text).toContain("dropped by `min:100`: it has 23 bookmarks, fewer than 100");
  });

  it("names every subscription that carries it: one drops, another delivers", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")} min:200`);
    feeds.set("/links.json", {
      body: JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        title: "Ops links",
        items: [{ id: "r", url: REDIS, title: "ElastiCache for Redis" }],
      }),
      contentType: "application/feed+json",
    });
    await app.ask(`subscribe ${feeds.url("/links.json")}`);
    const reply = await app.ask(`why ${REDIS}`);
    expect(reply.text).toContain("It is new and waits for the next digest");
    expect(reply.text).toMatch(
      /Subscription 1, <[^|]+\|はてなブックマーク[^>]*>: dropped by `min:200`: it has 156 bookmarks/,
    );
    expect(reply.text).toMatch(/Subscription 2, <[^|]+\|Ops links>: carries it \(no filters\)/);
  });

  it("no subscription of this channel carries it", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`, { channelId: "C_DEV" });
    await app.ask(`subscribe ${feeds.url("engineering-blog.atom")}`);
    const reply = await app.ask(`why ${REDIS}`);
    expect(reply.text).toContain("No subscription of this channel carries it");
    expect(reply.text).not.toContain("Subscription ");
  });

  it("no subscription carries it, but a comment made here brought it", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`, { channelId: "C_DEV" });
    await app.ask(`comment ${REDIS} worth reading`);
    const reply = await app.ask(`why ${REDIS}`);
    expect(reply.text).toContain("No subscription of this channel carries it");
    expect(reply.text).toContain(
      `It reached this channel through a comment made here, ${dateToken("2026-11-25T10:00:00.000Z")}`,
    );
  });

  it("the feed's last error when its feed is failing", async () => {
    feeds.set("/status.json", jsonFeed("Status", [{ id: "s1", title: "Degraded API" }]));
    await app.ask(`subscribe ${feeds.url("/status.json")}`);
    feeds.set("/status.json", (_req, res) => {
      res.writeHead(500, { "content-type": "text/plain" }).end("boom");
    });
    clock.set("2026-11-25T11:00:00.000Z");
    await app.services.feeds.pollDue();
    const reply = await app.ask("why https://articles.example/s1");
    expect(reply.text).toContain("It is new and waits for the next digest");
    expect(reply.text).toContain(
      `:warning: Its feed <${feeds.url("/status.json")}|Status> is failing since ${dateToken("2026-11-25T11:00:00.000Z")} (fetches failed in a row: 1):`,
    );
    expect(reply.text).toContain("500");
  });

  it("an article that passed but missed a digest holding only the best N", async () => {
    await app.stop();
    await feeds.close();
    await startWith({ OPSFEED_DIGEST_MAX_ARTICLES: "2" });
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
    clock.set("2026-11-25T11:00:00.000Z");
    await app.ask("digest now");
    // 412 and 341 bookmarks make the cut; 156 does not.
    const reply = await app.ask(`why ${REDIS}`);
    expect(reply.text).toContain(
      `it was already there when the digest of ${dateToken("2026-11-25T11:00:00.000Z")} was put together and that digest did not show it: a digest shows the 2 best articles`,
    );
    const shown = await app.ask(`why ${AWS}`);
    expect(shown.text).toContain("It was posted in this channel's digest");
  });

  it("a realtime post is told as such", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
    // Realtime subscriptions record what they posted as having reached the channel "realtime".
    await app.db
      .insertInto("article_channels")
      .values({
        channel_id: "C_OPS",
        article_id: await idOf(REDIS),
        via: "realtime",
        first_at: "2026-11-25T10:30:00.000Z",
      })
      .execute();
    const reply = await app.ask(`why ${REDIS}`);
    expect(reply.text).toContain(
      `by a realtime subscription, at ${dateToken("2026-11-25T10:30:00.000Z")}`,
    );
  });

  it("a URL opsfeed has never seen says so", async () => {
    await app.ask(`subscribe ${feeds.url("engineering-blog.atom")}`);
    const reply = await app.ask("why https://never.example/post");
    expect(reply.text).toContain("opsfeed has never seen https://never.example/post");
    const number = await app.ask("why 999");
    expect(number.text).toContain("There is no article #999 that you can see");
  });

  it("an article only a private channel saw gets the answer for an unknown article", async () => {
    feeds.set("/secret.json", jsonFeed("Secret", [{ id: "p1", title: "Postmortem: secret" }]));
    await app.ask(`subscribe ${feeds.url("/secret.json")}`, {
      userId: "UBOB",
      channelId: "G_SECRET",
    });
    const secretId = await idOf("https://articles.example/p1");
    const byNumber = await app.ask(`why ${secretId}`);
    const unknownNumber = await app.ask("why 999");
    expect(byNumber.text).toBe(unknownNumber.text.replace("#999", `#${secretId}`));
    const byUrl = await app.ask("why https://articles.example/p1");
    const unknownUrl = await app.ask("why https://articles.example/nope");
    expect(byUrl.text).toBe(unknownUrl.text.replaceAll("/nope", "/p1"));
    expect(byUrl.text).not.toContain("Secret");
    // Bob, in the channel, gets the real answer there; alice cannot ask in the channel at all.
    const bob = await app.ask(`why ${secretId}`, { userId: "UBOB", channelId: "G_SECRET" });
    expect(bob.text).toContain("It is new and waits for the next digest");
    const alice = await app.ask(`why ${secretId}`, { channelId: "G_SECRET" });
    expect(alice.text).not.toContain("Postmortem");
    expect(alice.text).toMatch(/private channel/i);
  });

  it("answers in Japanese", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")} min:100`);
    const reply = await app.ask(`why ${UNICORN}`, { userId: "UKENJI" });
    expect(reply.text).toContain("`min:100` で除外: ブックマークが 23 件で、100 件に足りません");
  });

  it("shows its usage when the article is missing", async () => {
    const reply = await app.ask("why");
    expect(reply.text).toContain("`/opsfeed why` needs `&lt;article&gt;`");
    expect(reply.text).toContain("/opsfeed why &lt;article&gt;");
  });
});

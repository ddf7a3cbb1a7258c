import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARTICLE_ACTIONS, DIGEST_METADATA_EVENT } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { jsonFeed } from "./support/factories.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp, type TestAppOptions } from "./support/test-app.js";

const MINUTE = 60_000;

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

async function start(
  env: Record<string, string> = {},
  options: Pick<TestAppOptions, "pause" | "decoratePorts"> = {},
) {
  app = await startTestApp({ clock, env, ...options });
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
}

beforeEach(async () => {
  feeds = await startFeedServer();
  // Wednesday 2026-11-25 10:00 UTC.
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  await start();
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

/** Digest messages posted in a channel (the ones tagged with digest metadata). */
function digestMessages(channel = "C_OPS") {
  return app.fakeSlack
    .callsTo("chat.postMessage")
    .filter((call) => call.args.channel === channel && call.outcome.ok)
    .filter(
      (call) =>
        (call.args.metadata as { event_type?: string } | undefined)?.event_type ===
        DIGEST_METADATA_EVENT,
    );
}

/** Article ids under the buttons of the digest messages posted in a channel. */
function postedArticleIds(channel = "C_OPS"): number[] {
  return digestMessages(channel).flatMap((call) =>
    (
      call.args.blocks as Array<{
        type: string;
        elements?: Array<{ action_id?: string; value?: string }>;
      }>
    )
      .filter((block) => block.type === "actions")
      .map((block) =>
        Number(block.elements?.find((e) => e.action_id === ARTICLE_ACTIONS.done)?.value),
      ),
  );
}

describe("digest now", () => {
  it("posts the new articles for everyone, with numbers, counts, comment links and the buttons", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
    clock.advance(MINUTE);
    const reply = await app.ask("digest now");
    expect(reply.text).toBe("Posted the digest in this channel: 8 articles.");
    expect(reply.raw.response_type).toBe("ephemeral");

    const message = digestMessages()[0];
    if (!message) throw new Error("no digest was posted");
    expect(message.args.unfurl_links).toBe(false);
    expect(message.args.unfurl_media).toBe(false);
    expect(message.args.text).toEqual(expect.stringContaining("8 new articles"));
    const shown = textOf(message.args);
    const az1 = await app.db
      .selectFrom("articles")
      .select("id")
      .where(
        "canonical_url",
        "=",
        "https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage",
      )
      .executeTakeFirstOrThrow();
    expect(shown).toContain(
      `*#${az1.id}* <https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage|AWS 東京リージョン apne-az1 障害で起きたこと、やったこと>`,
    );
    expect(shown).toContain("|🔖 412 users>");
    expect(shown).toContain(
      "<https://b.hatena.example/entry/s/ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage",
    );
    const buttons = (
      message.args.blocks as Array<{
        type: string;
        elements?: Array<{ action_id: string; value: string }>;
      }>
    )
      .find((block) => block.type === "actions")
      ?.elements?.map((button) => [button.action_id, button.value]);
    expect(buttons).toEqual([
      [ARTICLE_ACTIONS.readLater, String(az1.id)],
      [ARTICLE_ACTIONS.assign, String(az1.id)],
      [ARTICLE_ACTIONS.comment, String(az1.id)],
      [ARTICLE_ACTIONS.done, String(az1.id)],
      // a Hatena entry: its comments are a click away
      [ARTICLE_ACTIONS.hatena, String(az1.id)],
    ]);
    // Best first: Hatena bookmark counts 412, 341, 287, 156, 98, 64, 23, 12.
    const counts = [...shown.matchAll(/🔖 (\d+) users/g)].map((m) => Number(m[1]));
    expect(counts).toEqual([412, 341, 287, 156, 98, 64, 23, 12]);
  });

  it("posts only what is new the next time, and says so when nothing is", async () => {
    feeds.set("/links.json", jsonFeed("Links", [{ id: "a", title: "First" }]));
    await app.ask(`subscribe ${feeds.url("/links.json")}`);
    clock.advance(MINUTE);
    await app.ask("digest now");
    clock.advance(MINUTE);
    const nothing = await app.ask("digest now");
    expect(nothing.text).toContain("Nothing new since the last digest");
    expect(nothing.text).toContain("<!date^");
    expect(digestMessages()).toHaveLength(1);

    feeds.set(
      "/links.json",
      jsonFeed("Links", [
        { id: "b", title: "Second" },
        { id: "a", title: "First" },
      ]),
    );
    clock.advance(MINUTE);
    const next = await app.ask("digest now");
    expect(next.text).toBe("Posted the digest in this channel: 1 article.");
    expect(digestMessages()).toHaveLength(2);
    expect(textOf(digestMessages()[1]?.args)).toContain("Second");
    expect(textOf(digestMessages()[1]?.args)).not.toContain("First");
  });

  it("dates an article without a usable date by when opsfeed first saw it", async () => {
    feeds.set("/undated.json", {
      body: JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        title: "Undated",
        items: [
          {
            id: "u",
            url: "https://articles.example/u",
            title: "Undated",
            date_published: "someday",
          },
        ],
      }),
      contentType: "application/feed+json",
    });
    await app.ask(`subscribe ${feeds.url("/undated.json")}`);
    clock.advance(MINUTE);
    await app.ask("digest now");
    const firstSeen = Date.parse("2026-11-25T10:00:00.000Z") / 1000;
    expect(textOf(digestMessages()[0]?.args)).toContain(`<!date^${firstSeen}^`);
  });

  it("tells a channel without subscriptions how to add one", async () => {
    const reply = await app.ask("digest now");
    expect(reply.text).toContain("no subscriptions yet");
    expect(app.fakeSlack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("selects per channel: each with its filters, an article once however many feeds carry it", async () => {
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")} include:redis`, {
      channelId: "C_OPS",
    });
    await app.ask(`subscribe ${feeds.url("ops-links.json")} include:redis`, { channelId: "C_OPS" });
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")} min:100`, {
      channelId: "C_SRE",
    });
    clock.advance(MINUTE);
    const ops = await app.ask("digest now", { channelId: "C_OPS" });
    const sre = await app.ask("digest now", { channelId: "C_SRE" });
    // C_OPS: the two Redis entries from Hatena; the JSON Feed's ElastiCache/Redis article is the same one.
    expect(ops.text).toContain("2 articles");
    expect(new Set(postedArticleIds("C_OPS")).size).toBe(2);
    // C_SRE: 412, 341, 287, 156 bookmarks.
    expect(sre.text).toContain("4 articles");
    expect(postedArticleIds("C_SRE")).toHaveLength(4);
  });

  it("keeps to OPSFEED_DIGEST_MAX_ARTICLES and counts the rest in a closing line", async () => {
    await app.stop();
    await start({ OPSFEED_DIGEST_MAX_ARTICLES: "3" });
    await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
    clock.advance(MINUTE);
    const reply = await app.ask("digest now");
    expect(reply.text).toContain("3 articles (5 more were only counted)");
    expect(postedArticleIds()).toHaveLength(3);
    expect(textOf(digestMessages()[0]?.args)).toContain("5 more new articles");
  });

  it("splits a large digest over messages within Slack's limits, each article once, pacing each message", async () => {
    await app.stop();
    let pauses = 0;
    await start(
      { OPSFEED_DIGEST_MAX_ARTICLES: "200" },
      {
        pause: async () => {
          pauses++;
        },
      },
    );
    const items = Array.from({ length: 120 }, (_, i) => ({
      id: `n${i}`,
      title: `Incident review ${i} ${"long title ".repeat(20)}`,
    }));
    feeds.set("/many.json", jsonFeed("Many", items));
    await app.ask(`subscribe ${feeds.url("/many.json")}`);
    clock.advance(MINUTE);
    const outcome = await app.services.digests.post("C_OPS", "command");
    expect(outcome).toMatchObject({ status: "posted", articleCount: 120 });
    const messages = digestMessages();
    expect(messages.length).toBeGreaterThan(1);
    expect(pauses).toBe(messages.length - 1);
    for (const message of messages) {
      expect((message.args.blocks as unknown[]).length).toBeLessThanOrEqual(50);
    }
    const ids = postedArticleIds();
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
  });

  it("answers in Japanese and posts a Japanese digest when the workspace default is Japanese", async () => {
    await app.stop();
    await start({ OPSFEED_LOCALE: "ja" });
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`, { userId: "UKENJI" });
    clock.advance(MINUTE);
    const reply = await app.ask("digest now", { userId: "UKENJI" });
    expect(reply.text).toContain("ダイジェストを投稿しました");
    expect(textOf(digestMessages()[0]?.args)).toContain("あとで読む");
  });
});

describe("exactly once", () => {
  it("posts once when two digest now arrive together", async () => {
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    clock.advance(MINUTE);
    const [first, second] = await Promise.all([app.ask("digest now"), app.ask("digest now")]);
    expect(digestMessages()).toHaveLength(1);
    expect([first.text, second.text].filter((text) => text.startsWith("Posted"))).toHaveLength(1);
    expect([first.text, second.text].filter((text) => text.startsWith("Nothing new"))).toHaveLength(
      1,
    );
  });

  it("retries after Slack's 429 and lands once", async () => {
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    clock.advance(MINUTE);
    app.fakeSlack.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 });
    const reply = await app.ask("digest now");
    expect(reply.text).toContain("Posted the digest");
    const attempts = app.fakeSlack.callsTo("chat.postMessage");
    expect(attempts.map((call) => call.outcome.status)).toEqual([429, 200]);
    expect(app.fakeSlack.postedMessages("C_OPS")).toHaveLength(1);
  });

  it("does not post again after a crash between Slack's answer and the database write", async () => {
    // The process dies right after Slack accepted the message: nothing recorded its ts.
    let crashAfterPosting = true;
    await app.stop();
    await start(
      {},
      {
        decoratePorts: (ports) => ({
          ...ports,
          sender: {
            ...ports.sender,
            async post(message) {
              const outcome = await ports.sender.post(message);
              if (crashAfterPosting) throw new Error("process killed");
              return outcome;
            },
          },
        }),
      },
    );
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    clock.advance(MINUTE);
    await app.services.digests.post("C_OPS", "schedule");
    expect(app.fakeSlack.postedMessages("C_OPS")).toHaveLength(1);

    crashAfterPosting = false;
    await app.restart();
    clock.advance(MINUTE);
    await app.services.digests.runDue();
    const reply = await app.ask("digest now");
    expect(reply.text).toContain("Nothing new");
    expect(app.fakeSlack.postedMessages("C_OPS")).toHaveLength(1);
    const history = app.fakeSlack.callsTo("conversations.history");
    expect(history.at(-1)?.args.include_all_metadata).toBe("true");
    const digest = await app.db.selectFrom("digests").selectAll().executeTakeFirstOrThrow();
    expect(digest.status).toBe("posted");
  });

  it("stops on a permanent error, says to invite the bot, shows it in digest and list, and keeps the articles", async () => {
    await app.ask(`subscribe ${feeds.url("status-incidents.rss")}`);
    clock.advance(MINUTE);
    app.fakeSlack.failNext("chat.postMessage", { error: "not_in_channel" });
    const reply = await app.ask("digest now");
    expect(reply.text).toContain("/invite @opsfeed");
    expect(app.fakeSlack.callsTo("chat.postMessage")).toHaveLength(1);
    expect((await app.ask("digest")).text).toContain("The last digest could not be posted");
    expect((await app.ask("list")).text).toContain("/invite @opsfeed");

    clock.advance(MINUTE);
    const retry = await app.ask("digest now");
    expect(retry.text).toBe("Posted the digest in this channel: 3 articles.");
    expect((await app.ask("digest")).text).not.toContain("could not be posted");
  });
});

describe("schedules", () => {
  it("sets, shows and turns off a channel's schedule", async () => {
    const set = await app.ask("digest at 7:30 daily Asia/Tokyo");
    expect(set.text).toContain("Digest scheduled at 07:30 on every day (Asia/Tokyo)");
    // Wednesday 10:00 UTC is 19:00 in Tokyo: the next 07:30 JST is Thursday 2026-11-26T22:30Z.
    expect(set.text).toContain(`<!date^${Date.parse("2026-11-25T22:30:00Z") / 1000}^`);
    const shown = await app.ask("digest");
    expect(shown.text).toContain("Digest: 07:30 on every day (Asia/Tokyo)");
    expect(shown.text).toContain("No digest has been posted here yet");
    const weekdays = await app.ask("digest at 8:00 weekdays");
    expect(weekdays.text).toContain("08:00 on weekdays (Asia/Tokyo)");
    const off = await app.ask("digest off");
    expect(off.text).toContain("Turned off");
    expect((await app.ask("digest")).text).toContain("The scheduled digest is off");
  });

  it("says when a channel has no schedule", async () => {
    expect((await app.ask("digest")).text).toContain("no digest schedule yet");
  });

  it("posts on weekdays at the channel's time, skips weekends, and catches up once after downtime", async () => {
    feeds.set("/links.json", jsonFeed("Links", [{ id: "a", title: "First" }]));
    await app.ask(`subscribe ${feeds.url("/links.json")}`);
    await app.ask("digest at 09:00 weekdays Asia/Tokyo");
    const tick = () => app.services.digests.runDue();

    // Thursday 08:59 JST: not yet.
    clock.set("2026-11-25T23:59:00Z");
    expect(await tick()).toEqual([]);
    // Thursday 09:00 JST.
    clock.set("2026-11-26T00:00:00Z");
    const thursday = await tick();
    expect(thursday.map((r) => r.outcome.status)).toEqual(["posted"]);

    // Friday 09:00 JST: nothing new, so nothing posted, but the schedule moves on.
    clock.set("2026-11-27T00:00:00Z");
    expect((await tick()).map((r) => r.outcome.status)).toEqual(["nothing-new"]);

    // New article on Saturday; no digest on the weekend; the app is down until Tuesday noon.
    feeds.set("/links.json", jsonFeed("Links", [{ id: "b", title: "Weekend news" }]));
    clock.set("2026-11-28T01:00:00Z");
    await app.ask("digest"); // a user looks; nothing is posted
    await app.services.feeds.pollDue();
    clock.set("2026-11-28T00:00:00Z");
    expect(await tick()).toEqual([]);

    clock.set("2026-12-01T03:00:00Z");
    const catchUp = await tick();
    expect(catchUp.map((r) => r.outcome.status)).toEqual(["posted"]);
    expect(await tick()).toEqual([]);
    expect(digestMessages()).toHaveLength(2);
    const channel = await app.db.selectFrom("channels").selectAll().executeTakeFirstOrThrow();
    // Next: Wednesday 2026-12-02 09:00 JST.
    expect(channel.next_digest_at).toBe("2026-12-02T00:00:00.000Z");
  });
});

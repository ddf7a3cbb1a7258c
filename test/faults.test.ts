import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CONFIRM_DELAY_MS, MAX_SAME_FAILURES, retryDelayMs } from "../src/delivery/outbox.js";
import { QUEUE_VIEWS } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { digestArticleIds, digestPosts, jsonFeed, manyItems } from "./support/factories.js";
import type { FakeFailure } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * Slack answers late, twice, never, with 429 or 5xx, or posts and loses the answer. Through
 * the real app and the stand-in Slack, every article still lands exactly once in its
 * channel, the user is told what really happened, and no channel waits on another.
 */

const MINUTE = 60_000;
/** Short Web API deadlines, so a hung call costs the test half a second. */
const SLACK_TIMEOUT_MS = 500;

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  app = await startTestApp({
    clock,
    env: { OPSFEED_DIGEST_MAX_ARTICLES: "200" },
    pause: async () => {},
    slackTimeoutMs: SLACK_TIMEOUT_MS,
  });
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UBOB", name: "bob", locale: "en-US" });
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

/** Subscribes `channel` to a feed of `count` long-titled articles (several digest messages). */
async function subscribeMany(channel: string, count = 40, prefix = channel) {
  feeds.set(`/${prefix}.json`, jsonFeed(`Feed ${prefix}`, manyItems(count, prefix)));
  await app.ask(`subscribe ${feeds.url(`/${prefix}.json`)}`, { channelId: channel });
}

/** The ids of the articles posted in a channel's digests, as its members see them. */
function postedIds(channel: string): number[] {
  return digestArticleIds(app.fakeSlack.postedMessages(channel));
}

/** The part of a digest message a post call carries (from its metadata). */
function partOf(args: Record<string, unknown>): number | undefined {
  return (args.metadata as { event_payload?: { part?: number } } | undefined)?.event_payload?.part;
}

/** Lets the wait for an unconfirmed post pass, and runs one scheduler tick. */
async function nextTick() {
  clock.advance(CONFIRM_DELAY_MS + MINUTE);
  await app.services.delivery.deliverDue();
  return app.services.digests.runDue();
}

describe("lost answers", () => {
  const losses: Array<[string, FakeFailure]> = [
    ["the connection is reset", { afterAccepting: true, reset: true }],
    ["Slack answers 502", { afterAccepting: true, status: 502 }],
    ["the answer never comes", { afterAccepting: true, hang: true }],
  ];
  for (const [loss, failure] of losses) {
    for (const part of [1, 2]) {
      it(`posts every article once when Slack accepts part ${part} and ${loss}`, async () => {
        await subscribeMany("C_OPS");
        clock.advance(MINUTE);
        app.fakeSlack.failNext("chat.postMessage", {
          ...failure,
          when: (args) => partOf(args) === part,
        });
        const reply = await app.ask("digest now");
        // The user hears the truth: not "posted", but that Slack did not confirm this part.
        expect(reply.text).toContain(`Slack did not confirm digest message ${part} of 3`);
        expect(reply.text).toContain("without posting anything twice");
        expect(digestPosts(app.fakeSlack.postedMessages("C_OPS"))).toHaveLength(part);

        await nextTick();
        const ids = postedIds("C_OPS");
        expect(ids).toHaveLength(40);
        expect(new Set(ids).size).toBe(40);
        expect(digestPosts(app.fakeSlack.postedMessages("C_OPS"))).toHaveLength(3);
        // The lost part was looked for before anything else was posted, and found.
        const lookups = app.fakeSlack.callsTo("conversations.history");
        expect(lookups.some((call) => call.args.include_all_metadata === "true")).toBe(true);
        expect((await app.ask("digest")).text).toContain("Last digest:");
        expect((await app.ask("digest now")).text).toContain("Nothing new");
      });
    }
  }

  it("posts a lost part once it is sure Slack never got it", async () => {
    await subscribeMany("C_OPS");
    clock.advance(MINUTE);
    // Slack never answers and never posts: a timeout with nothing in the channel.
    app.fakeSlack.failNext("chat.postMessage", { hang: true, when: (args) => partOf(args) === 2 });
    expect((await app.ask("digest now")).text).toContain("Slack did not confirm");
    await nextTick();
    expect(postedIds("C_OPS")).toHaveLength(40);
    expect(new Set(postedIds("C_OPS")).size).toBe(40);
  });
});

describe("hung calls and rate limits stay in their channel", () => {
  it("answers both users of a channel whose post hangs, and posts another channel's digest meanwhile", async () => {
    await subscribeMany("C_A", 3);
    await subscribeMany("C_B", 3);
    clock.advance(MINUTE);
    app.fakeSlack.failNext("chat.postMessage", {
      hang: true,
      when: (args) => args.channel === "C_A",
    });
    const [first, second, other] = await Promise.all([
      app.ask("digest now", { channelId: "C_A" }),
      app.ask("digest now", { channelId: "C_A", userId: "UBOB" }),
      app.ask("digest now", { channelId: "C_B", userId: "UBOB" }),
    ]);
    expect(first.text).toContain("Slack did not confirm");
    // The second request waited for the first and tells the truth about the same digest.
    expect(second.text).toMatch(/Slack did not confirm|being posted right now/);
    expect(other.text).toContain("Posted the digest");
    expect(postedIds("C_B")).toHaveLength(3);
    expect(postedIds("C_A")).toHaveLength(0);

    await nextTick();
    expect(postedIds("C_A")).toHaveLength(3);
    expect(new Set(postedIds("C_A")).size).toBe(3);
  });

  it("makes only the rate-limited channel wait: other users' replies and modals go out at once", async () => {
    await subscribeMany("C_A", 3);
    clock.advance(MINUTE);
    app.fakeSlack.failNext("chat.postMessage", {
      status: 429,
      retryAfterSeconds: 30,
      when: (args) => args.channel === "C_A",
    });
    const limited = await app.ask("digest now", { channelId: "C_A" });
    expect(limited.text).toContain("Slack asked opsfeed to slow down in this channel");
    expect(limited.text).toContain("0 of 1");
    expect(limited.text).toContain("in about 30 seconds");

    // Another user, another channel: the reply and the modal do not wait for Retry-After.
    const help = await app.ask("help", { channelId: "C_B", userId: "UBOB" });
    expect(help.text).toContain("/opsfeed subscribe");
    const before = app.fakeSlack.lastSeq();
    const article = await app.db.selectFrom("articles").select("id").executeTakeFirstOrThrow();
    await app.slack.blockActions({
      user: { id: "UBOB" },
      actions: [
        {
          type: "button",
          action_id: "article_assign",
          block_id: `article-${article.id}`,
          value: String(article.id),
          text: { type: "plain_text", text: "Assign" },
          action_ts: "1700000000.000001",
        },
      ],
    });
    const opened = await app.fakeSlack.waitForCall("views.open", (call) => call.seq > before);
    expect(opened.outcome.ok).toBe(true);

    // The limited channel is not tried again before Retry-After, not even by a tick.
    await app.services.digests.runDue();
    const tries = app.fakeSlack
      .callsTo("chat.postMessage")
      .filter((call) => call.args.channel === "C_A");
    expect(tries).toHaveLength(1);
    expect(tries[0]?.outcome.status).toBe(429);
    expect(postedIds("C_A")).toHaveLength(0);
  });

  it("answers a command when Slack never answers the language look-up", async () => {
    app.fakeSlack.failNext("users.info", { hang: true });
    const reply = await app.ask("help", { userId: "UBOB" });
    expect(reply.text).toContain("/opsfeed subscribe");
  });
});

describe("a poison digest", () => {
  it(`is set aside after ${MAX_SAME_FAILURES} identical refusals, says so, and the next digest carries its articles`, async () => {
    await subscribeMany("C_OPS", 3);
    clock.advance(MINUTE);
    app.fakeSlack.failNext("chat.postMessage", { error: "invalid_blocks", times: 100 });
    const first = await app.ask("digest now");
    expect(first.text).toContain("Slack refused digest message 1 of 1 (invalid_blocks)");
    expect(first.text).toContain(`after ${MAX_SAME_FAILURES} refusals in a row`);
    for (let attempt = 2; attempt <= MAX_SAME_FAILURES; attempt++) {
      clock.advance(retryDelayMs(attempt - 1) + 1000);
      await app.services.digests.runDue();
    }
    const attempts = app.fakeSlack.callsTo("chat.postMessage");
    expect(attempts).toHaveLength(MAX_SAME_FAILURES);
    // Parked: no more attempts, however many ticks pass.
    clock.advance(60 * MINUTE);
    await app.services.digests.runDue();
    expect(app.fakeSlack.callsTo("chat.postMessage")).toHaveLength(MAX_SAME_FAILURES);

    const shown = await app.ask("digest");
    expect(shown.text).toContain("set aside");
    expect(shown.text).toContain("invalid_blocks");
    expect((await app.ask("list")).text).toContain("set aside");

    // Slack takes messages again: a fresh digest carries the articles, once.
    app.fakeSlack.reset();
    const fresh = await app.ask("digest now");
    expect(fresh.text).toContain("Posted the digest in this channel: 3 articles");
    expect(postedIds("C_OPS")).toHaveLength(3);
    expect(new Set(postedIds("C_OPS")).size).toBe(3);
    expect((await app.ask("digest")).text).not.toContain("set aside");
  });

  it("keeps a channel's newer articles coming after a parked digest", async () => {
    feeds.set("/one.json", jsonFeed("One", [{ id: "a", title: "First" }]));
    await app.ask(`subscribe ${feeds.url("/one.json")}`);
    clock.advance(MINUTE);
    app.fakeSlack.failNext("chat.postMessage", {
      error: "invalid_blocks",
      times: MAX_SAME_FAILURES,
    });
    await app.ask("digest now");
    for (let attempt = 2; attempt <= MAX_SAME_FAILURES; attempt++) {
      clock.advance(retryDelayMs(attempt - 1) + 1000);
      await app.services.digests.runDue();
    }
    feeds.set(
      "/one.json",
      jsonFeed("One", [
        { id: "a", title: "First" },
        { id: "b", title: "Second" },
      ]),
    );
    clock.advance(MINUTE);
    expect((await app.ask("digest now")).text).toContain("2 articles");
  });
});

describe("replayed and concurrent assignments", () => {
  async function postDigest(): Promise<number> {
    feeds.set("/one.json", jsonFeed("One", [{ id: "a", title: "First" }]));
    await app.ask(`subscribe ${feeds.url("/one.json")}`);
    clock.advance(MINUTE);
    await app.ask("digest now");
    const row = await app.db.selectFrom("articles").select("id").executeTakeFirstOrThrow();
    return row.id;
  }

  function submitAssign(articleId: number, viewId: string) {
    const v = QUEUE_VIEWS.assign;
    return app.slack.viewSubmission({
      user: { id: "UALICE" },
      view: {
        id: viewId,
        callback_id: v.callbackId,
        private_metadata: JSON.stringify({ articleId, channelId: "C_OPS" }),
        state: {
          values: {
            [v.assigneeBlock]: {
              [v.assigneeAction]: { type: "users_select", selected_user: "UBOB" },
            },
            [v.noteBlock]: { [v.noteAction]: { type: "plain_text_input", value: "please" } },
            [v.dueBlock]: { [v.dueAction]: { type: "datepicker", selected_date: null } },
          },
        },
      },
    });
  }

  it("sends one DM and one confirmation when the modal is submitted five times at once", async () => {
    const id = await postDigest();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => submitAssign(id, "V_ASSIGN_ONCE")),
    );
    for (const answer of answers) expect(answer.status).toBe(200);
    await app.fakeSlack.waitUntil(
      () => (app.fakeSlack.postedMessages("DUBOB").length > 0 ? true : undefined),
      "the assignee's DM",
    );
    // Let every submission finish before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.fakeSlack.postedMessages("DUBOB")).toHaveLength(1);
    const confirmations = app.fakeSlack
      .callsTo("chat.postEphemeral")
      .filter((call) => textOf(call.args).includes("Assigned"));
    expect(confirmations).toHaveLength(1);
    expect(await app.db.selectFrom("assignments").selectAll().execute()).toHaveLength(1);
  });

  it("carries out a replayed assign command once and says so the second time", async () => {
    const id = await postDigest();
    const first = await app.ask(`assign <@UBOB> ${id} read this`, { triggerId: "T_REPLAYED" });
    expect(first.text).toContain("Assigned");
    const again = await app.ask(`assign <@UBOB> ${id} read this`, { triggerId: "T_REPLAYED" });
    expect(again.text).toContain("already carried out");
    expect(app.fakeSlack.postedMessages("DUBOB")).toHaveLength(1);
  });

  it("sends the DM later when Slack loses its answer, without sending it twice", async () => {
    const id = await postDigest();
    app.fakeSlack.failNext("chat.postMessage", { afterAccepting: true, status: 502 });
    const reply = await app.ask(`assign <@UBOB> ${id}`);
    expect(reply.text).toContain("Assigned");
    expect(reply.text).toContain("has not taken the direct message yet");
    await nextTick();
    expect(app.fakeSlack.postedMessages("DUBOB")).toHaveLength(1);
  });
});

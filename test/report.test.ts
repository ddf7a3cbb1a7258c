import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARTICLE_ACTIONS } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { jsonFeed } from "./support/factories.js";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";
import { createTestDatabase, type TestDatabase } from "./support/test-database.js";

/*
 * The weekly report: what a channel's last 7 days were, on demand (for the user alone) and
 * posted in the channel once a week on its schedule, by whichever of two apps gets there.
 */

let fakeSlack: FakeSlack;
let feeds: FeedServer;
let clock: FakeClock;
let database: TestDatabase;
let app: TestApp;
let second: TestApp;

beforeEach(async () => {
  fakeSlack = await startFakeSlack();
  for (const id of ["UALICE", "UBOB", "UCAROL"]) {
    fakeSlack.addUser({ id, name: id.slice(1).toLowerCase(), locale: "en-US" });
  }
  fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP" });
  feeds = await startFeedServer();
  // A week before the report's Wednesday.
  clock = fakeClock("2026-11-17T10:00:00.000Z");
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url };
  app = await startTestApp({ clock, fakeSlack, env });
  second = await startTestApp({ clock, fakeSlack, env });
});

afterEach(async () => {
  await app.stop();
  await second.stop();
  await fakeSlack.close();
  await feeds.close();
  await database.drop();
});

async function idOf(url: string): Promise<number> {
  const row = await app.db
    .selectFrom("articles")
    .select("id")
    .where("canonical_url", "=", url)
    .executeTakeFirstOrThrow();
  return row.id;
}

function clickReadLater(userId: string, articleId: number) {
  return app.slack.blockActions({
    user: { id: userId },
    actions: [
      {
        type: "button",
        action_id: ARTICLE_ACTIONS.readLater,
        block_id: `article-${articleId}`,
        value: String(articleId),
        text: { type: "plain_text", text: "Read later" },
        action_ts: "1700000000.000001",
      },
    ],
  });
}

const AZ1 = "https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage";
const REDIS = "https://medley.example.com/elasticache-redis-memory";
const UNICORN = "https://dev.example.jp/unicorn-worker-killer";

/** A week in C_OPS: old activity before it, then digests, saves, comments, assignments. */
async function seedWeek(): Promise<{ az1: number; redis: number; unicorn: number }> {
  await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
  await app.ask("digest now");
  const az1 = await idOf(AZ1);
  const redis = await idOf(REDIS);
  const unicorn = await idOf(UNICORN);
  await app.ask(`comment ${az1} an old comment, before the week`);
  await app.ask(`later ${az1}`, { userId: "UCAROL" });

  clock.set("2026-11-24T09:00:00.000Z");
  feeds.set(
    "/ops.json",
    jsonFeed(
      "Ops links",
      [1, 2, 3].map((n) => ({ id: `o${n}`, title: `Ops ${n}` })),
    ),
  );
  feeds.set("/flaky.json", jsonFeed("Flaky status", [{ id: "f1", title: "Flaky 1" }]));
  await app.ask(`subscribe ${feeds.url("/ops.json")}`);
  // With credentials in its URL, which the report must never show.
  await app.ask(`subscribe ${feeds.url("/flaky.json").replace("://", "://ops:hunter2@")}`);
  await app.ask("digest now");
  for (const user of ["UALICE", "UBOB"]) await clickReadLater(user, redis);
  await clickReadLater("UALICE", unicorn);
  await app.ask(`comment ${az1} one`);
  for (const n of [1, 2]) await app.ask(`comment ${redis} two ${n}`, { userId: "UBOB" });
  for (const n of [1, 2, 3]) await app.ask(`comment ${unicorn} three ${n}`, { userId: "UCAROL" });
  await app.ask(`assign <@UBOB> ${az1} due:2026-11-24`);
  await app.ask(`assign <@UCAROL> ${redis} due:2026-12-10`);
  await app.ask(`done ${redis}`, { userId: "UCAROL" });
  // Saved by command in the channel: it reached nobody, so the report never names it.
  feeds.set("/secret.html", {
    body: "<html><head><title>Secret reorg plan</title></head></html>",
    contentType: "text/html",
  });
  await app.ask(`later ${feeds.url("/secret.html")}`);
  await app.ask(`later ${feeds.url("/secret.html")}`, { userId: "UBOB" });
  // The flaky feed starts failing.
  feeds.set("/flaky.json", (_req, res) => {
    res.statusCode = 503;
    res.end("down");
  });
  clock.set("2026-11-25T10:00:00.000Z");
  await app.services.feeds.pollChannel("C_OPS");
  return { az1, redis, unicorn };
}

describe("report", () => {
  it("tells the channel's week: posted, most saved, most discussed, assignments, failing feeds", async () => {
    const { az1, redis, unicorn } = await seedWeek();
    const before = fakeSlack.callsTo("chat.postMessage").length;
    const reply = await app.ask("report");
    const text = reply.text;
    // The 4 articles of the two new feeds' digest; the first digest was more than 7 days ago.
    expect(text).toContain("*4* articles posted");
    expect(text).toContain("*2* opened, *1* done, *1* overdue");
    expect(text).toMatch(new RegExp(`1\\. \\*#${redis}\\*[^\\n]*saves: 2`));
    expect(text).toMatch(new RegExp(`2\\. \\*#${unicorn}\\*[^\\n]*saves: 1`));
    expect(text).not.toMatch(new RegExp(`#${az1}\\*[^\\n]*saves:`));
    expect(text).toMatch(new RegExp(`1\\. \\*#${unicorn}\\*[^\\n]*comments: 3`));
    expect(text).toMatch(new RegExp(`2\\. \\*#${redis}\\*[^\\n]*comments: 2`));
    expect(text).toMatch(new RegExp(`3\\. \\*#${az1}\\*[^\\n]*comments: 1`));
    expect(text).toContain("Flaky status");
    expect(text).toContain("://***@");
    expect(text).not.toContain("hunter2");
    expect(text).toContain("Feeds that failed");
    expect(text).not.toContain("Secret reorg plan");
    expect(text).toContain("/opsfeed report at");
    // For the user alone: nothing was posted in the channel.
    expect(fakeSlack.callsTo("chat.postMessage")).toHaveLength(before);
  });

  it("says plainly when the week was empty", async () => {
    clock.set("2026-11-25T10:00:00.000Z");
    const reply = await app.ask("report", { channelId: "C_QUIET" });
    expect(reply.text).toContain("*0* articles posted");
    expect(reply.text).toContain("*0* opened, *0* done, *0* overdue");
    expect(reply.text).toContain("Nothing was saved from this channel.");
    expect(reply.text).toContain("Nobody commented here.");
    expect(reply.text).toContain("Every feed of this channel works.");
    const ja = await app.ask("report", { channelId: "C_QUIET", userId: "UKENJI" });
    expect(ja.text).toContain("週次閲読レポート");
    expect(ja.text).toContain("投稿された記事 *0* 件");
  });

  it("stays within Slack's limits for a busy week of 1,000 articles", async () => {
    clock.set("2026-11-25T10:00:00.000Z");
    const long = "a very long title ".repeat(40);
    const at = "2026-11-24T10:00:00.000Z";
    const ids: number[] = [];
    for (let start = 0; start < 1000; start += 100) {
      const rows = await app.db
        .insertInto("articles")
        .values(
          Array.from({ length: 100 }, (_, i) => {
            const url = `https://busy.example/${start + i}/${"path/".repeat(150)}`;
            return {
              canonical_url: url,
              url,
              title: `${start + i} ${long}`,
              first_seen_at: at,
              updated_at: at,
            };
          }),
        )
        .returning("id")
        .execute();
      ids.push(...rows.map((row) => row.id));
    }
    for (let start = 0; start < 1000; start += 100) {
      const slice = ids.slice(start, start + 100);
      await app.db
        .insertInto("article_channels")
        .values(
          slice.map((id) => ({
            channel_id: "C_OPS",
            article_id: id,
            via: "realtime",
            first_at: at,
          })),
        )
        .execute();
      await app.db
        .insertInto("read_later")
        .values(
          slice.map((id) => ({
            user_id: "UALICE",
            article_id: id,
            channel_id: "C_OPS",
            saved_at: at,
          })),
        )
        .execute();
      await app.db
        .insertInto("comments")
        .values(
          slice.map((id, i) => ({
            article_id: id,
            user_id: "UBOB",
            channel_id: "C_OPS",
            text: `comment ${i}`,
            created_at: at,
            dedupe_key: null,
          })),
        )
        .execute();
    }
    // Posted in the channel on its schedule, where the stand-in checks Slack's limits.
    await app.ask("report at wed 11:00 UTC");
    clock.set("2026-11-25T11:00:00.000Z");
    expect(await app.services.reports.runDue()).toBe(1);
    const [post] = fakeSlack
      .callsTo("chat.postMessage")
      .filter((call) => call.args.channel === "C_OPS" && call.outcome.ok);
    if (!post) throw new Error("no report posted");
    const blocks = post.args.blocks as Array<{ type: string; text?: { text: string } }>;
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    const text = textOf(post.args);
    expect(text).toContain("*1000* articles posted");
    expect(text).toContain("…and 995 more articles");
    expect(post.args.unfurl_links).toBe(false);
  });

  it("is posted in the channel once a week on its schedule, once with two apps, and stops with off", async () => {
    await seedWeek();
    // Wednesday 25 November, 10:00 UTC = 19:00 in Tokyo.
    const set = await app.ask("report at 水曜 19:30 Asia/Tokyo");
    expect(set.text).toContain("every Wednesday at 19:30 (Asia/Tokyo)");
    const schedule = await app.db
      .selectFrom("report_schedules")
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(schedule.next_report_at).toBe("2026-11-25T10:30:00.000Z");
    const reports = () =>
      fakeSlack
        .postedMessages("C_OPS")
        .filter((message) => JSON.stringify(message.metadata ?? {}).includes('"report:C_OPS:'));

    clock.set("2026-11-25T10:29:00.000Z");
    await Promise.all([app.services.reports.runDue(), second.services.reports.runDue()]);
    expect(reports()).toHaveLength(0);
    clock.set("2026-11-25T10:30:00.000Z");
    await Promise.all([
      app.services.reports.runDue(),
      second.services.reports.runDue(),
      app.services.reports.runDue(),
      second.services.reports.runDue(),
    ]);
    await app.services.reports.runDue();
    expect(reports()).toHaveLength(1);
    expect(textOf(reports()[0])).toContain("Weekly reading report");
    expect(textOf(reports()[0])).toContain("every Wednesday at 19:30");
    // Setting it again the same week does not report that week twice.
    await app.ask("report at 水曜 19:45 Asia/Tokyo");
    clock.set("2026-11-25T10:45:00.000Z");
    await app.services.reports.runDue();
    expect(reports()).toHaveLength(1);
    // The next week, once.
    clock.set("2026-12-02T10:45:00.000Z");
    await Promise.all([app.services.reports.runDue(), second.services.reports.runDue()]);
    expect(reports()).toHaveLength(2);

    const off = await app.ask("report off");
    expect(off.text).toContain("stopped");
    clock.set("2026-12-09T11:00:00.000Z");
    await app.services.reports.runDue();
    expect(reports()).toHaveLength(2);
    expect((await app.ask("report off")).text).toContain("no weekly report");
  });

  it("answers schedule mistakes in words", async () => {
    const bad = await app.ask("report at someday 9:00");
    expect(bad.text).toContain("`someday` is not a weekday");
    expect((await app.ask("report at fri 25:00")).text).toContain("is not a time");
    expect((await app.ask("report at fri 9:00 Mars/Olympus")).text).toContain("IANA");
    expect(await app.db.selectFrom("report_schedules").selectAll().execute()).toHaveLength(0);
  });
});

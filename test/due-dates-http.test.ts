import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

const AZ1 = "https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage";

beforeEach(async () => {
  feeds = await startFeedServer();
  // 23:30 UTC on Wednesday 25 November: already Thursday the 26th in Tokyo.
  clock = fakeClock("2026-11-25T23:30:00.000Z");
  app = await startTestApp({ clock });
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US", tz: "Europe/London" });
  app.fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP", tz: "Asia/Tokyo" });
  app.fakeSlack.addUser({ id: "UNINA", name: "nina", tz: "America/New_York" });
  app.fakeSlack.addUser({ id: "UNOZONE", name: "nozone", tz: "Mars/Olympus" });
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

async function articleId(): Promise<number> {
  await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
  await app.ask("digest now");
  const row = await app.db
    .selectFrom("articles")
    .select("id")
    .where("canonical_url", "=", AZ1)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function dueDateOf(assigneeId: string): Promise<string | null> {
  const row = await app.db
    .selectFrom("assignments")
    .select("due_date")
    .where("assignee_id", "=", assigneeId)
    .executeTakeFirstOrThrow();
  return row.due_date;
}

describe("assign … due:", () => {
  it("reads the date in the assignee's own time zone", async () => {
    const id = await articleId();
    const reply = await app.ask(`assign <@UKENJI|kenji> ${id} due:tomorrow before the review`);
    expect(reply.text).toContain("Assigned");
    expect(reply.text).toContain("2026-11-27");
    expect(reply.text).toContain("Asia/Tokyo");
    // Tokyo's tomorrow, not UTC's (the 26th).
    expect(await dueDateOf("UKENJI")).toBe("2026-11-27");
    const note = await app.db
      .selectFrom("assignments")
      .select("note")
      .where("assignee_id", "=", "UKENJI")
      .executeTakeFirstOrThrow();
    expect(note.note).toBe("before the review");

    await app.ask(`assign <@UNINA> ${id} due:tomorrow`);
    // 18:30 on the 25th in New York.
    expect(await dueDateOf("UNINA")).toBe("2026-11-26");
  });

  it("reads weekdays and Japanese words in the assignee's zone, and falls back to OPSFEED_TIMEZONE", async () => {
    const id = await articleId();
    // Thursday in Tokyo: the next Thursday is a week later.
    await app.ask(`assign <@UKENJI> ${id} due:木曜`);
    expect(await dueDateOf("UKENJI")).toBe("2026-12-03");
    await app.ask(`assign <@UNINA> ${id} due:thursday`);
    expect(await dueDateOf("UNINA")).toBe("2026-11-26");
    // An unknown zone from Slack: the default (UTC here), where it is still the 25th.
    await app.ask(`assign <@UNOZONE> ${id} due:今日`);
    expect(await dueDateOf("UNOZONE")).toBe("2026-11-25");
  });

  it("answers a date it cannot read in words, with the accepted forms, in English and Japanese", async () => {
    const id = await articleId();
    const en = await app.ask(`assign <@UKENJI> ${id} due:2026-13-45`);
    expect(en.text).toContain("`due:2026-13-45` is not a due date");
    expect(en.text).toContain("YYYY-MM-DD");
    expect(en.text).toContain("tomorrow");
    const ja = await app.ask(`assign <@UALICE> ${id} due:someday`, { userId: "UKENJI" });
    expect(ja.text).toContain("期限として認識できません");
    expect(ja.text).toContain("明日");
    const rows = await app.db.selectFrom("assignments").selectAll().execute();
    expect(rows).toHaveLength(0);
  });

  it("shows today and overdue in the viewer's time zone in `assigned` and App Home", async () => {
    const id = await articleId();
    // Due the 26th: today in Tokyo, tomorrow in London.
    await app.ask(`assign <@UKENJI> ${id} due:2026-11-26`);
    const kenji = await app.ask("assigned", { userId: "UKENJI" });
    expect(kenji.text).toContain("今日が期限");
    const alice = await app.ask("assigned");
    expect(alice.text).toContain("due 2026-11-26");
    expect(alice.text).not.toContain("due today");
    const home = app.fakeSlack
      .callsTo("views.publish")
      .filter((call) => call.args.user_id === "UKENJI")
      .at(-1);
    expect(JSON.stringify(home?.args.view)).toContain("今日が期限");

    // Due the 25th: overdue in Tokyo, today in London.
    await app.ask(`assign <@UKENJI> ${id} due:2026-11-25`);
    expect((await app.ask("assigned", { userId: "UKENJI" })).text).toContain("期限切れ");
    const later = await app.ask("assigned");
    expect(later.text).toContain("due today");
    expect(later.text).not.toContain("overdue");
  });
});

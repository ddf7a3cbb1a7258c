import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QUEUE_ACTIONS, REMINDER_ACTIONS } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { type FakeSlack, type StoredMessage, startFakeSlack } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";
import { createTestDatabase, type TestDatabase } from "./support/test-database.js";

/*
 * Due-date reminders: 09:00 in the assignee's own time zone on the due day and once more the
 * day after, exactly once, with Done and Snooze 1 day; two apps share one database.
 */

let fakeSlack: FakeSlack;
let feeds: FeedServer;
let clock: FakeClock;
let database: TestDatabase;
let app: TestApp;
let second: TestApp;

const AZ1 = "https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage";

beforeEach(async () => {
  fakeSlack = await startFakeSlack();
  fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US", tz: "Europe/London" });
  fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP", tz: "Asia/Tokyo" });
  fakeSlack.addUser({ id: "UNINA", name: "nina", locale: "en-US", tz: "America/New_York" });
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
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

/** The reminders a user got by DM, oldest first. */
function remindersTo(userId: string): StoredMessage[] {
  return fakeSlack
    .postedMessages(`D${userId}`)
    .filter((message) => JSON.stringify(message.metadata ?? {}).includes('"reminder:'));
}

/** Runs the reminder job at `iso` (on the first app unless told). */
async function runAt(iso: string, on: TestApp = app): Promise<void> {
  clock.set(iso);
  await on.services.reminders.sendDue();
}

async function assignmentOf(userId: string) {
  return app.db
    .selectFrom("assignments")
    .selectAll()
    .where("assignee_id", "=", userId)
    .executeTakeFirstOrThrow();
}

/** Clicks a button of a DM as `userId` would; the reply that replaced it (or was added). */
async function clickInDm(
  dm: StoredMessage,
  actionId: string,
  userId: string,
): Promise<{ text: string; body: Record<string, unknown> }> {
  const blocks = (dm.blocks ?? []) as Array<{
    type: string;
    elements?: Array<{ action_id?: string; value?: string }>;
  }>;
  const value = blocks
    .flatMap((block) => block.elements ?? [])
    .find((element) => element.action_id === actionId)?.value;
  if (!value) throw new Error(`no ${actionId} button`);
  const channel = `D${userId}`;
  const sent = await app.slack.blockActions({
    user: { id: userId },
    container: { type: "message", message_ts: dm.ts, channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: "directmessage" },
    message: { type: "message", ts: dm.ts, text: dm.text, blocks: dm.blocks },
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "reminder-actions",
        value,
        text: { type: "plain_text", text: "button" },
        action_ts: "1700000000.000001",
      },
    ],
  });
  expect(sent.status).toBe(200);
  const response = await fakeSlack.waitForResponse(sent.responseUrlId as string);
  return { text: textOf(response.body), body: response.body };
}

describe("reminders", () => {
  it("reminds at 09:00 in each assignee's own time zone, on the due day and once the day after", async () => {
    const id = await articleId();
    await app.ask(`assign <@UKENJI> ${id} due:2026-11-26 read before the review`);
    await app.ask(`assign <@UNINA> ${id} due:2026-11-26`);

    await runAt("2026-11-25T23:59:00.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(0);
    // 09:00 on the 26th in Tokyo.
    await runAt("2026-11-26T00:00:00.000Z");
    await runAt("2026-11-26T00:01:00.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(1);
    const first = remindersTo("UKENJI")[0] as StoredMessage;
    expect(textOf(first)).toContain("今日 (2026-11-26) が期限");
    expect(textOf(first)).toContain("read before the review");
    expect(JSON.stringify(first.blocks)).toContain(REMINDER_ACTIONS.snooze);
    expect(JSON.stringify(first.blocks)).toContain("1 日延期");
    expect(remindersTo("UNINA")).toHaveLength(0);

    // 09:00 in New York (EST) is 14:00 UTC.
    await runAt("2026-11-26T13:59:00.000Z");
    expect(remindersTo("UNINA")).toHaveLength(0);
    await runAt("2026-11-26T14:00:00.000Z");
    expect(remindersTo("UNINA")).toHaveLength(1);
    expect(textOf(remindersTo("UNINA")[0])).toContain("due today (2026-11-26)");

    // The day after: once more each, still open.
    await runAt("2026-11-27T00:00:00.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(2);
    expect(textOf(remindersTo("UKENJI")[1])).toContain("期限 (2026-11-26) を過ぎました");
    await runAt("2026-11-27T14:00:00.000Z");
    expect(textOf(remindersTo("UNINA")[1])).toContain("was due 2026-11-26 and is still open");

    // And never again.
    for (const day of ["2026-11-28", "2026-11-29", "2026-12-02"]) await runAt(`${day}T14:00:00Z`);
    expect(remindersTo("UKENJI")).toHaveLength(2);
    expect(remindersTo("UNINA")).toHaveLength(2);

    const metrics = await fetch(`${app.url}/metrics`).then((answer) => answer.text());
    expect(metrics).toMatch(/^opsfeed_reminders_sent_total 4$/m);
  });

  it("follows New York's change from daylight saving time", async () => {
    clock.set("2026-10-30T12:00:00.000Z");
    const id = await articleId();
    // Saturday 31 October is EDT (UTC-4); Sunday 1 November, after the change, EST (UTC-5).
    await app.ask(`assign <@UNINA> ${id} due:2026-10-31`);
    await runAt("2026-10-31T12:59:00.000Z");
    expect(remindersTo("UNINA")).toHaveLength(0);
    await runAt("2026-10-31T13:00:00.000Z");
    expect(remindersTo("UNINA")).toHaveLength(1);
    await runAt("2026-11-01T13:00:00.000Z");
    expect(remindersTo("UNINA")).toHaveLength(1);
    await runAt("2026-11-01T14:00:00.000Z");
    expect(remindersTo("UNINA")).toHaveLength(2);
  });

  it("does not remind at once of a time already past when the date was set", async () => {
    const id = await articleId();
    // 19:00 on the 25th in Tokyo: today's 09:00 has gone by.
    await app.ask(`assign <@UKENJI> ${id} due:today`);
    expect((await assignmentOf("UKENJI")).due_date).toBe("2026-11-25");
    await runAt("2026-11-25T10:01:00.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(0);
    await runAt("2026-11-26T00:00:00.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(1);
    expect(textOf(remindersTo("UKENJI")[0])).toContain("を過ぎました");
  });

  it("snoozes a day: the due date moves and the reminders start again; only the assignee may", async () => {
    const id = await articleId();
    await app.ask(`assign <@UNINA> ${id} due:2026-11-26`);
    await runAt("2026-11-26T14:00:00.000Z");
    const [reminder] = remindersTo("UNINA");
    if (!reminder) throw new Error("no reminder");

    const forged = await clickInDm(reminder, REMINDER_ACTIONS.snooze, "UKENJI");
    expect(forged.text).toMatch(/割り当て|assign/i);
    expect((await assignmentOf("UNINA")).due_date).toBe("2026-11-26");

    clock.set("2026-11-26T15:00:00.000Z");
    const snoozed = await clickInDm(reminder, REMINDER_ACTIONS.snooze, "UNINA");
    expect(snoozed.text).toContain("now due 2026-11-27");
    expect(snoozed.body.replace_original).toBe(true);
    expect((await assignmentOf("UNINA")).due_date).toBe("2026-11-27");
    // The same reminder clicked again moves nothing further.
    const again = await clickInDm(reminder, REMINDER_ACTIONS.snooze, "UNINA");
    expect(again.text).toContain("already moved");
    expect((await assignmentOf("UNINA")).due_date).toBe("2026-11-27");

    // No "day after" reminder for the old date; the new date's reminder at 09:00 the 27th.
    await runAt("2026-11-27T13:59:00.000Z");
    expect(remindersTo("UNINA")).toHaveLength(1);
    await runAt("2026-11-27T14:00:00.000Z");
    expect(remindersTo("UNINA")).toHaveLength(2);
    expect(textOf(remindersTo("UNINA")[1])).toContain("due today (2026-11-27)");
  });

  it("stops when done before the reminder, when Done is clicked on it, and when cancelled", async () => {
    const id = await articleId();
    await app.ask(`assign <@UKENJI> ${id} due:2026-11-26`);
    await app.ask(`assign <@UNINA> ${id} due:2026-11-26`);
    await app.ask(`done ${id}`, { userId: "UKENJI" });
    await runAt("2026-11-26T14:00:00.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(0);
    const [reminder] = remindersTo("UNINA");
    if (!reminder) throw new Error("no reminder");

    const forged = await clickInDm(reminder, REMINDER_ACTIONS.done, "UALICE");
    expect(forged.text).not.toContain("Marked");
    expect((await assignmentOf("UNINA")).status).toBe("open");
    const done = await clickInDm(reminder, REMINDER_ACTIONS.done, "UNINA");
    expect(done.text).toContain("the assignment is complete");
    expect((await assignmentOf("UNINA")).status).toBe("done");
    // The assigner hears of it as for `done`.
    await fakeSlack.waitUntil(
      () => fakeSlack.postedMessages("DUALICE").find((m) => textOf(m).includes("finished reading")),
      "the assigner's notice",
    );
    await runAt("2026-11-27T14:00:00.000Z");
    expect(remindersTo("UNINA")).toHaveLength(1);

    // Cancelled by the assigner before its reminder.
    await app.ask(`assign <@UKENJI> ${id} due:2026-11-29`);
    const assignment = await assignmentOf("UKENJI");
    const cancel = await app.slack.blockActions({
      user: { id: "UALICE" },
      actions: [
        {
          type: "button",
          action_id: QUEUE_ACTIONS.cancelAssignment,
          block_id: "assigned",
          value: String(assignment.id),
          text: { type: "plain_text", text: "Cancel" },
          action_ts: "1700000000.000001",
        },
      ],
    });
    await fakeSlack.waitForResponse(cancel.responseUrlId as string);
    expect((await assignmentOf("UKENJI")).status).toBe("cancelled");
    await runAt("2026-11-29T00:00:00.000Z");
    await runAt("2026-11-30T00:00:00.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(0);
  });

  it("after downtime sends the one latest missed reminder, once, also across a restart", async () => {
    const id = await articleId();
    await app.ask(`assign <@UKENJI> ${id} due:2026-11-26`);
    // Down from before the due day until three days later.
    await runAt("2026-11-29T03:00:00.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(1);
    expect(textOf(remindersTo("UKENJI")[0])).toContain("を過ぎました");
    await app.restart();
    await runAt("2026-11-29T03:01:00.000Z");
    await runAt("2026-11-30T03:00:00.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(1);
  });

  it("a reminder Slack rate-limits waits in the outbox and is sent, and counted, once", async () => {
    const id = await articleId();
    await app.ask(`assign <@UKENJI> ${id} due:2026-11-26`);
    // Three 429s in a row: more than the outbox waits out in place.
    fakeSlack.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1, times: 3 });
    await runAt("2026-11-26T00:00:00.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(0);
    const metric = async () =>
      /^opsfeed_reminders_sent_total (\d+)$/m.exec(
        await fetch(`${app.url}/metrics`).then((answer) => answer.text()),
      )?.[1];
    expect(await metric()).toBe("0");
    // Not recorded again by the next run; sent by the outbox once its wait is over.
    await runAt("2026-11-26T00:00:30.000Z");
    expect(remindersTo("UKENJI")).toHaveLength(0);
    // Slack's Retry-After is honoured in real time too.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    clock.set("2026-11-26T00:02:00.000Z");
    await app.services.delivery.deliverDue();
    await runAt("2026-11-26T00:03:00.000Z");
    await app.services.delivery.deliverDue();
    expect(remindersTo("UKENJI")).toHaveLength(1);
    expect(await metric()).toBe("1");
  });

  it("two apps running the job at once on one database send each reminder once", async () => {
    const id = await articleId();
    for (const user of ["UKENJI", "UNINA"]) await app.ask(`assign <@${user}> ${id} due:2026-11-26`);
    clock.set("2026-11-27T15:00:00.000Z");
    await Promise.all([
      app.services.reminders.sendDue(),
      second.services.reminders.sendDue(),
      app.services.reminders.sendDue(),
      second.services.reminders.sendDue(),
    ]);
    await Promise.all([app.services.reminders.sendDue(), second.services.reminders.sendDue()]);
    expect(remindersTo("UKENJI")).toHaveLength(1);
    expect(remindersTo("UNINA")).toHaveLength(1);
    const posts = fakeSlack
      .callsTo("chat.postMessage")
      .filter((call) => JSON.stringify(call.args.metadata ?? {}).includes('"reminder:'));
    expect(posts).toHaveLength(2);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARTICLE_ACTIONS, QUEUE_ACTIONS, QUEUE_VIEWS } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import type { RecordedCall } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

const AZ1 = "https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage";

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  app = await startTestApp({ clock });
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UBOB", name: "bob", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP" });
  app.fakeSlack.addUser({ id: "UOTHERBOT", name: "otherbot", isBot: true });
  app.fakeSlack.addUser({ id: "UGONE", name: "gone", deleted: true });
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

/** Subscribes C_OPS to the Hatena fixture and posts its digest; returns the AZ1 article's id. */
async function postDigest(): Promise<number> {
  await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
  clock.advance(60_000);
  await app.ask("digest now");
  const row = await app.db
    .selectFrom("articles")
    .select("id")
    .where("canonical_url", "=", AZ1)
    .executeTakeFirstOrThrow();
  return row.id;
}

function digestMessage() {
  const message = app.fakeSlack.postedMessages("C_OPS").find((m) => m.metadata);
  if (!message) throw new Error("no digest in C_OPS");
  return message;
}

/** Clicks a button under an article of the posted digest, as Slack sends it; returns the reply. */
async function click(actionId: string, value: string, userId = "UALICE", retryNum?: number) {
  const message = digestMessage();
  const sent = await app.slack.blockActions(
    {
      user: { id: userId },
      container: {
        type: "message",
        message_ts: message.ts,
        channel_id: "C_OPS",
        is_ephemeral: false,
      },
      channel: { id: "C_OPS", name: "ops" },
      message: { type: "message", ts: message.ts, text: message.text, blocks: message.blocks },
      actions: [
        {
          type: "button",
          action_id: actionId,
          block_id: `article-${value}`,
          value,
          text: { type: "plain_text", text: "button" },
          action_ts: "1700000000.000001",
        },
      ],
    },
    retryNum === undefined ? {} : { retryNum },
  );
  expect(sent.status).toBe(200);
  return sent;
}

async function clickAndRead(actionId: string, value: string, userId = "UALICE", retryNum?: number) {
  const sent = await click(actionId, value, userId, retryNum);
  const response = await app.fakeSlack.waitForResponse(sent.responseUrlId as string);
  return { text: textOf(response.body), body: response.body };
}

/** The modal opened by the last views.open after `afterSeq`. */
async function openedModal(afterSeq: number): Promise<RecordedCall> {
  return app.fakeSlack.waitForCall("views.open", (call) => call.seq > afterSeq);
}

function submitAssign(
  privateMetadata: string,
  values: { assignee?: string; note?: string; due?: string },
  userId = "UALICE",
) {
  const v = QUEUE_VIEWS.assign;
  return app.slack.viewSubmission({
    user: { id: userId },
    view: {
      id: `V_ASSIGN_${Math.random().toString(36).slice(2)}`,
      callback_id: v.callbackId,
      private_metadata: privateMetadata,
      state: {
        values: {
          [v.assigneeBlock]: {
            [v.assigneeAction]: { type: "users_select", selected_user: values.assignee ?? null },
          },
          [v.noteBlock]: {
            [v.noteAction]: { type: "plain_text_input", value: values.note ?? null },
          },
          [v.dueBlock]: {
            [v.dueAction]: { type: "datepicker", selected_date: values.due ?? null },
          },
        },
      },
    },
  });
}

function submitComment(
  privateMetadata: string,
  text: string,
  viewId = "V_COMMENT_1",
  userId = "UALICE",
) {
  const v = QUEUE_VIEWS.comment;
  return app.slack.viewSubmission({
    user: { id: userId },
    view: {
      id: viewId,
      callback_id: v.callbackId,
      private_metadata: privateMetadata,
      state: {
        values: { [v.textBlock]: { [v.textAction]: { type: "plain_text_input", value: text } } },
      },
    },
  });
}

function dmsTo(userId: string) {
  return app.fakeSlack.postedMessages(`D${userId}`);
}

describe("read later", () => {
  it("saves from the digest button once, however often Slack redelivers, in the clicker's own queue", async () => {
    const id = await postDigest();
    const first = await clickAndRead(ARTICLE_ACTIONS.readLater, String(id));
    expect(first.text).toContain("Saved");
    expect(first.text).toContain(`#${id}`);
    expect(first.body.response_type).toBe("ephemeral");
    expect(first.body.replace_original).toBe(false);
    const again = await clickAndRead(ARTICLE_ACTIONS.readLater, String(id), "UALICE", 1);
    expect(again.text).toContain("already in your read-later queue");
    const rows = await app.db.selectFrom("read_later").selectAll().execute();
    expect(rows).toHaveLength(1);

    const alice = await app.ask("later");
    expect(alice.text).toContain("AWS 東京リージョン apne-az1 障害で起きたこと");
    const bob = await app.ask("later", { userId: "UBOB" });
    expect(bob.text).not.toContain("AWS 東京リージョン");
  });

  it("adds by number or by any URL with the same canonical form, newest first", async () => {
    const id = await postDigest();
    expect((await app.ask(`later ${id}`)).text).toContain("Saved");
    clock.advance(1000);
    const byUrl = await app.ask(
      "later <https://Medley.example.com/elasticache-redis-memory?utm_source=twitter&amp;fbclid=x#top>",
    );
    expect(byUrl.text).toContain("ElastiCache for Redis");
    const later = await app.ask("later");
    expect(later.text.indexOf("ElastiCache")).toBeLessThan(
      later.text.indexOf("AWS 東京リージョン"),
    );
    const doneButtons = (later.blocks as Array<{ accessory?: { action_id: string } }>).filter(
      (block) => block.accessory?.action_id === ARTICLE_ACTIONS.done,
    );
    expect(doneButtons).toHaveLength(2);
  });

  it("says what is wrong with an unknown or malformed article", async () => {
    await postDigest();
    expect((await app.ask("later 9999")).text).toContain("There is no article #9999");
    // `done` saves nothing, so a URL opsfeed has not seen is unknown there (`later` fetches it).
    expect((await app.ask("done https://unknown.example/x")).text).toContain("There is no article");
    const malformed = await app.ask("later abc");
    expect(malformed.text).toContain("`abc`");
    expect(malformed.text).toContain("/opsfeed later");
  });

  it("pages a long queue", async () => {
    const items = Array.from({ length: 25 }, (_, i) => ({
      id: `p${i}`,
      url: `https://articles.example/p${i}`,
      title: `Postmortem ${i}`,
    }));
    feeds.set("/many.json", {
      body: JSON.stringify({ version: "https://jsonfeed.org/version/1.1", title: "Many", items }),
      contentType: "application/feed+json",
    });
    await app.ask(`subscribe ${feeds.url("/many.json")}`);
    const ids = await app.db.selectFrom("articles").select("id").orderBy("id").execute();
    for (const { id } of ids) {
      clock.advance(1000);
      await app.ask(`later ${id}`);
    }
    const first = await app.ask("later");
    expect(first.text).toContain("Postmortem 24");
    expect(first.text).not.toContain("Postmortem 4\n");
    const next = (
      first.blocks as Array<{
        type: string;
        elements?: Array<{ action_id: string; value: string }>;
      }>
    )
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === QUEUE_ACTIONS.queuePage);
    expect(next?.value).toBe("20");
    const sent = await app.slack.blockActions({
      user: { id: "UALICE" },
      actions: [
        {
          type: "button",
          action_id: QUEUE_ACTIONS.queuePage,
          block_id: "queue-pages",
          value: "20",
          action_ts: "1",
        },
      ],
    });
    const page = await app.fakeSlack.waitForResponse(sent.responseUrlId as string);
    expect(page.body.replace_original).toBe(true);
    expect(textOf(page.body)).toContain("Postmortem 0");
    expect(textOf(page.body)).not.toContain("Postmortem 24");
  });
});

describe("mistakes in the queue's commands", () => {
  it.each([
    ["done 9999", "There is no article #9999"],
    ["done", "/opsfeed done"],
    ["comments 9999", "There is no article #9999"],
    ["comments", "/opsfeed comments"],
    ["assigned everything", "/opsfeed assigned"],
    ["comment 9999 hello", "There is no article #9999"],
    ["assign <@UBOB> 9999", "There is no article #9999"],
    ["later <https://evil.example/|click> extra", "/opsfeed later"],
  ])("/opsfeed %s says what is wrong", async (text, expected) => {
    await postDigest();
    const reply = await app.ask(text);
    expect(reply.text).toContain(expected);
    expect(reply.raw.response_type).toBe("ephemeral");
  });

  it("refuses a forged button value and a modal without its article in words, storing nothing", async () => {
    await postDigest();
    const forged = await clickAndRead(ARTICLE_ACTIONS.readLater, "not-a-number");
    expect(forged.text).toContain("This button carries a value opsfeed did not make");
    expect(forged.text).toContain("`not-a-number`");
    const broken = await submitComment("{not json", "hello");
    expect(broken.json).toMatchObject({ response_action: "errors" });
    expect(await app.db.selectFrom("read_later").selectAll().execute()).toHaveLength(0);
    expect(await app.db.selectFrom("comments").selectAll().execute()).toHaveLength(0);
  });
});

describe("done", () => {
  it("takes the article out of the queue, from the button and the command", async () => {
    const id = await postDigest();
    await app.ask(`later ${id}`);
    const clicked = await clickAndRead(ARTICLE_ACTIONS.done, String(id));
    expect(clicked.text).toContain("Marked");
    expect((await app.ask("later")).text).not.toContain("AWS 東京リージョン");
    expect((await app.ask(`done ${id}`)).text).toContain("Marked");
    const reads = await app.db.selectFrom("article_reads").selectAll().execute();
    expect(reads).toHaveLength(1);
  });
});

describe("assign", () => {
  it("opens a modal from the button and, on submit, DMs the assignee with the note, assigner, due date and buttons", async () => {
    const id = await postDigest();
    const before = app.fakeSlack.lastSeq();
    const sent = await click(ARTICLE_ACTIONS.assign, String(id));
    const opened = await openedModal(before);
    expect(opened.args.trigger_id).toBe(sent.triggerId);
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(QUEUE_VIEWS.assign.callbackId);

    const answer = await submitAssign(view.private_metadata, {
      assignee: "UBOB",
      note: "Read before Tuesday's <!channel> migration",
      due: "2026-12-01",
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toBeNull();
    const dm = await app.fakeSlack.waitForCall(
      "chat.postMessage",
      (call) => call.args.channel === "DUBOB",
    );
    const dmText = textOf(dm.args);
    expect(dmText).toContain("<@UALICE>");
    expect(dmText).toContain("AWS 東京リージョン");
    expect(dmText).toContain("Read before Tuesday");
    expect(dmText).toContain("&lt;!channel&gt;");
    expect(JSON.stringify(dm.args)).not.toContain("<!channel>");
    expect(dmText).toContain("2026");
    const dmButtons = JSON.stringify(dm.args.blocks);
    expect(dmButtons).toContain(ARTICLE_ACTIONS.done);
    expect(dmButtons).toContain(ARTICLE_ACTIONS.readLater);
    const confirmation = await app.fakeSlack.waitForCall(
      "chat.postEphemeral",
      (call) => call.args.user === "UALICE",
    );
    expect(textOf(confirmation.args)).toContain("Assigned");

    const bobs = await app.ask("assigned", { userId: "UBOB" });
    expect(bobs.text).toContain("AWS 東京リージョン");
    expect(bobs.text).toContain("<@UALICE>");
    const alices = await app.ask("assigned");
    expect(alices.text).toContain("<@UBOB>");
  });

  it("assigns in one line, updates instead of duplicating, and refuses bots and unknown users", async () => {
    const id = await postDigest();
    expect((await app.ask(`assign <@UBOB|bob> ${id} please read`)).text).toContain("Assigned");
    expect((await app.ask(`assign <@UBOB> ${id} updated note`)).text).toContain(
      "the assignment was updated",
    );
    const rows = await app.db.selectFrom("assignments").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.note).toBe("updated note");
    expect(dmsTo("UBOB")).toHaveLength(2);

    expect((await app.ask(`assign <@UOTHERBOT> ${id}`)).text).toContain("is a bot");
    expect((await app.ask(`assign <@UGONE> ${id}`)).text).toContain("deactivated");
    expect((await app.ask(`assign <@UNOBODY> ${id}`)).text).toContain(
      "Slack does not know the user",
    );
    expect((await app.ask("assign @bob 1")).text).toContain(
      "pick the person from Slack's suggestions",
    );
    expect(await app.db.selectFrom("assignments").selectAll().execute()).toHaveLength(1);
  });

  it("shows the reason in the modal when the assignee is a bot or the due date has passed", async () => {
    const id = await postDigest();
    const metadata = JSON.stringify({ articleId: id, channelId: "C_OPS" });
    const bot = await submitAssign(metadata, { assignee: "UOTHERBOT" });
    expect(bot.json).toMatchObject({
      response_action: "errors",
      errors: { [QUEUE_VIEWS.assign.assigneeBlock]: expect.stringContaining("is a bot") },
    });
    const past = await submitAssign(metadata, { assignee: "UBOB", due: "2026-01-01" });
    expect(past.json).toMatchObject({
      response_action: "errors",
      errors: { [QUEUE_VIEWS.assign.dueBlock]: expect.stringContaining("in the past") },
    });
    expect(await app.db.selectFrom("assignments").selectAll().execute()).toHaveLength(0);
  });

  it("completes the assignment when the assignee is done, telling the assigner", async () => {
    const id = await postDigest();
    await app.ask(`assign <@UBOB> ${id}`);
    const done = await app.ask(`done ${id}`, { userId: "UBOB" });
    expect(done.text).toContain("completed the assignment from <@UALICE>");
    const notice = await app.fakeSlack.waitForCall(
      "chat.postMessage",
      (call) => call.args.channel === "DUALICE",
    );
    expect(textOf(notice.args)).toContain("<@UBOB>");
    expect((await app.ask("assigned", { userId: "UBOB" })).text).not.toContain(
      "AWS 東京リージョン",
    );
    // Someone else marking it done does not complete Bob's assignment.
    await app.ask(`assign <@UBOB> ${id}`);
    await app.ask(`done ${id}`, { userId: "UKENJI" });
    expect((await app.ask("assigned", { userId: "UBOB" })).text).toContain("AWS 東京リージョン");
  });

  it("lets only the assigner or the assignee cancel", async () => {
    const id = await postDigest();
    await app.ask(`assign <@UBOB> ${id}`);
    const assignment = await app.db
      .selectFrom("assignments")
      .select("id")
      .executeTakeFirstOrThrow();
    const stranger = await clickAndRead(
      QUEUE_ACTIONS.cancelAssignment,
      String(assignment.id),
      "UKENJI",
    );
    expect(stranger.text).toContain("割り当てをキャンセルできるのは");
    const cancelled = await clickAndRead(
      QUEUE_ACTIONS.cancelAssignment,
      String(assignment.id),
      "UALICE",
    );
    expect(cancelled.text).toContain("Cancelled the assignment");
    const notice = await app.fakeSlack.waitForCall(
      "chat.postMessage",
      (call) =>
        call.args.channel === "DUBOB" && textOf(call.args).includes("<@UALICE>") && call.seq > 0,
    );
    expect(notice).toBeDefined();
    expect((await app.ask("assigned", { userId: "UBOB" })).text).not.toContain(
      "AWS 東京リージョン",
    );
  });
});

describe("comments", () => {
  it("comments from the modal into the digest's thread, once per modal, and lists oldest first", async () => {
    const id = await postDigest();
    const before = app.fakeSlack.lastSeq();
    await click(ARTICLE_ACTIONS.comment, String(id));
    const opened = await openedModal(before);
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(QUEUE_VIEWS.comment.callbackId);

    const answer = await submitComment(
      view.private_metadata,
      "Our failover runbook missed\nthis <!channel> case",
    );
    expect(answer.status).toBe(200);
    await submitComment(view.private_metadata, "Our failover runbook missed\nthis <!channel> case");
    const threaded = await app.fakeSlack.waitForCall(
      "chat.postMessage",
      (call) => call.args.thread_ts === digestMessage().ts,
    );
    expect(textOf(threaded.args)).toContain("<@UALICE>");
    expect(textOf(threaded.args)).toContain("Our failover runbook missed");
    expect(JSON.stringify(threaded.args)).not.toContain("<!channel>");

    clock.advance(60_000);
    const byCommand = await app.ask(`comment ${id} Bob: we hit this too &amp; fixed it`, {
      userId: "UBOB",
    });
    expect(byCommand.text).toContain("posted in the digest's thread");
    const listed = await app.ask(`comments ${id}`);
    expect(listed.text.indexOf("Our failover runbook")).toBeLessThan(
      listed.text.indexOf("we hit this too"),
    );
    expect(listed.text).toContain("<@UALICE>");
    expect(listed.text).toContain("<@UBOB>");
    expect(listed.text).toContain("&amp; fixed it");
    expect(await app.db.selectFrom("comments").selectAll().execute()).toHaveLength(2);
  });

  it("refuses an empty comment in the modal, and a missing text in the command", async () => {
    const id = await postDigest();
    const empty = await submitComment(JSON.stringify({ articleId: id, channelId: "C_OPS" }), "   ");
    expect(empty.json).toMatchObject({ response_action: "errors" });
    const missing = await app.ask(`comment ${id}`);
    expect(missing.text).toContain("/opsfeed comment");
    expect(await app.db.selectFrom("comments").selectAll().execute()).toHaveLength(0);
  });
});

describe("the digest shows the team's activity", () => {
  it("updates the article's line with saves, comments and assignees", async () => {
    const id = await postDigest();
    await clickAndRead(ARTICLE_ACTIONS.readLater, String(id));
    await app.ask(`comment ${id} worth a read`);
    await app.ask(`assign <@UBOB> ${id}`);
    const update = await app.fakeSlack.waitForCall(
      "chat.update",
      (call) =>
        call.args.ts === digestMessage().ts && JSON.stringify(call.args.blocks).includes("<@UBOB>"),
      8000,
    );
    const activity = (update.args.blocks as Array<{ block_id?: string }>).find(
      (block) => block.block_id === `article-${id}-activity`,
    );
    const line = textOf({ blocks: [activity] });
    expect(line).toContain("📚 1");
    expect(line).toContain("💬 1");
    expect(line).toContain("<@UBOB>");
    expect((update.args.blocks as unknown[]).length).toBeLessThanOrEqual(50);
  });
});

describe("App Home", () => {
  it("shows the user's queue and assignments when opened, and again after a change", async () => {
    const id = await postDigest();
    await app.ask(`assign <@UALICE> ${id}`, { userId: "UBOB" });
    const before = app.fakeSlack.lastSeq();
    await app.slack.event({
      type: "app_home_opened",
      user: "UALICE",
      channel: "DUALICE",
      tab: "home",
    });
    const published = await app.fakeSlack.waitForCall(
      "views.publish",
      (call) => call.seq > before && call.args.user_id === "UALICE",
    );
    expect((published.args.view as { type: string }).type).toBe("home");
    expect(textOf(published.args.view)).toContain("AWS 東京リージョン");

    const afterOpen = app.fakeSlack.lastSeq();
    await app.ask("later 2");
    const refreshed = await app.fakeSlack.waitForCall(
      "views.publish",
      (call) => call.seq > afterOpen && call.args.user_id === "UALICE",
    );
    expect(textOf(refreshed.args.view)).toContain("#2");
  });
});

describe("in Japanese, and after a restart", () => {
  it("answers a Japanese user in Japanese", async () => {
    const id = await postDigest();
    expect((await app.ask(`later ${id}`, { userId: "UKENJI" })).text).toContain(
      "「あとで読む」に追加しました",
    );
    expect((await app.ask(`assign <@UBOB> ${id}`, { userId: "UKENJI" })).text).toContain(
      "割り当てました",
    );
  });

  it("keeps queues, assignments and comments across a restart", async () => {
    const id = await postDigest();
    await app.ask(`later ${id}`);
    await app.ask(`assign <@UBOB> ${id} read me`);
    await app.ask(`comment ${id} noted`);
    await app.restart();
    expect((await app.ask("later")).text).toContain("AWS 東京リージョン");
    expect((await app.ask("assigned", { userId: "UBOB" })).text).toContain("read me");
    expect((await app.ask(`comments ${id}`)).text).toContain("noted");
  });
});

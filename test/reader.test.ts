import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QUEUE_VIEWS, READER_ACTIONS, READER_VIEW } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * The reader: one article of the user's own queue at a time in one modal, Previous / Next at
 * both ends, Done moving on, Comment on top, and metadata that comes back from Slack checked.
 */

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;

type View = Record<string, unknown> & { id: string; hash: string; private_metadata: string };

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  app = await startTestApp({ clock, env: { HATENA_API_URL: feeds.url("/hatena/") } });
  // Hatena Bookmark's entry API: one comment on every article.
  feeds.set("/hatena/entry/jsonlite/", (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        count: 1,
        bookmarks: [
          { user: "hatena-user", tags: [], timestamp: "2026/11/24 10:00", comment: "読んだ" },
        ],
      }),
    );
  });
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UBOB", name: "bob", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP" });
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

/** Posts a digest and queues its first three articles for `userId`, oldest saved first. */
async function queueThree(userId = "UALICE"): Promise<Array<{ id: number; title: string }>> {
  await app.ask(`subscribe ${feeds.url("hatena-hotentry-it.rdf")}`);
  await app.ask("digest now");
  const articles = await app.db
    .selectFrom("articles")
    .select(["id", "title"])
    .orderBy("id")
    .limit(3)
    .execute();
  for (const article of articles) {
    clock.advance(1000);
    await app.ask(`later ${article.id}`, { userId });
  }
  return articles;
}

function buttonsIn(view: View): Array<{ action_id: string; value?: string; url?: string }> {
  const blocks = (view.blocks ?? []) as Array<{ type: string; elements?: unknown[] }>;
  return blocks
    .filter((block) => block.type === "actions")
    .flatMap((block) => block.elements as Array<{ action_id: string; value?: string }>);
}

function actionIds(view: View): string[] {
  return buttonsIn(view).map((button) => button.action_id);
}

function viewById(id: string): View {
  const view = app.fakeSlack.storedViews().find((stored) => stored.id === id);
  if (!view) throw new Error(`no view ${id}`);
  return view as View;
}

/** Clicks Read (on a `later` reply) as `userId`; the reader modal Slack now shows. */
async function openReader(userId = "UALICE"): Promise<View> {
  const before = app.fakeSlack.lastSeq();
  await app.slack.blockActions({
    user: { id: userId },
    actions: [
      {
        type: "button",
        action_id: READER_ACTIONS.open,
        block_id: "queue-reader",
        value: "0",
        text: { type: "plain_text", text: "Read" },
        action_ts: "1700000000.000001",
      },
    ],
  });
  await app.fakeSlack.waitForCall("views.open", (call) => call.seq > before);
  const readers = app.fakeSlack.storedViews().filter((view) => view.callback_id === READER_VIEW);
  return readers.at(-1) as View;
}

/** Clicks a reader button as `userId`; the reader as `views.update` left it. */
async function clickIn(
  view: View,
  actionId: string,
  userId = "UALICE",
  metadata = view.private_metadata,
): Promise<View> {
  const before = app.fakeSlack.lastSeq();
  const value = buttonsIn(view).find((button) => button.action_id === actionId)?.value ?? "x";
  const sent = await app.slack.blockActions({
    user: { id: userId },
    container: { type: "view", view_id: view.id },
    view: {
      id: view.id,
      hash: view.hash,
      type: "modal",
      callback_id: READER_VIEW,
      private_metadata: metadata,
      state: { values: {} },
    },
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "reader-actions",
        value,
        text: { type: "plain_text", text: "button" },
        action_ts: "1700000000.000001",
      },
    ],
  });
  expect(sent.status).toBe(200);
  const update = await app.fakeSlack.waitForCall("views.update", (call) => call.seq > before);
  expect(update.args.view_id).toBe(view.id);
  expect(update.args.hash).toBe(view.hash);
  return viewById(view.id);
}

async function queueOf(userId: string): Promise<number[]> {
  const rows = await app.db
    .selectFrom("read_later")
    .select("article_id")
    .where("user_id", "=", userId)
    .execute();
  return rows.map((row) => row.article_id).sort((a, b) => a - b);
}

describe("the reader", () => {
  it("walks the queue newest first in one modal, with Previous and Next only where they lead somewhere", async () => {
    const [a1, a2, a3] = await queueThree();
    // The team's activity in the channel it was saved from shows under it.
    for (const n of [1, 2])
      await app.ask(`comment ${a3?.id} worth reading ${n}`, { userId: "UBOB" });
    let view = await openReader();
    expect(textOf(view)).toContain(`#${a3?.id}`);
    expect(textOf(view)).toContain("1 / 3");
    expect(textOf(view)).toMatch(/📚 1\b.*💬 2\b/);
    expect(actionIds(view)).toEqual([
      READER_ACTIONS.next,
      READER_ACTIONS.done,
      READER_ACTIONS.comment,
      READER_ACTIONS.hatena,
      READER_ACTIONS.link,
    ]);
    expect(buttonsIn(view).find((b) => b.action_id === READER_ACTIONS.link)?.url).toMatch(
      /^https:\/\//,
    );
    // Its source, its Hatena bookmark count linked to the comment page, and its summary.
    expect(textOf(view)).toContain("はてなブックマーク - 人気エントリー");
    expect(textOf(view)).toMatch(/<https:\/\/b\.hatena[^|]*\|🔖 \d+ users>/);
    expect((view.blocks as Array<{ block_id: string }>).map((b) => b.block_id)).toContain(
      "reader-summary",
    );

    view = await clickIn(view, READER_ACTIONS.next);
    expect(textOf(view)).toContain(`#${a2?.id}`);
    expect(textOf(view)).toContain("2 / 3");
    expect(actionIds(view).slice(0, 2)).toEqual([READER_ACTIONS.previous, READER_ACTIONS.next]);

    view = await clickIn(view, READER_ACTIONS.next);
    expect(textOf(view)).toContain(`#${a1?.id}`);
    expect(textOf(view)).toContain("3 / 3");
    expect(actionIds(view)).not.toContain(READER_ACTIONS.next);

    view = await clickIn(view, READER_ACTIONS.previous);
    expect(textOf(view)).toContain("2 / 3");
    // One modal all along: opened once, then updated in place.
    expect(app.fakeSlack.callsTo("views.open")).toHaveLength(1);
    expect(app.fakeSlack.callsTo("views.update")).toHaveLength(3);
  });

  it("Done marks the shown article read and moves on; the last one leaves 'all read'", async () => {
    const [a1, a2, a3] = await queueThree();
    let view = await openReader();
    view = await clickIn(view, READER_ACTIONS.next);
    expect(textOf(view)).toContain(`#${a2?.id}`);
    view = await clickIn(view, READER_ACTIONS.done);
    expect(await queueOf("UALICE")).toEqual([a1?.id, a3?.id]);
    // The next one takes its place.
    expect(textOf(view)).toContain(`#${a1?.id}`);
    expect(textOf(view)).toContain("2 / 2");
    view = await clickIn(view, READER_ACTIONS.done);
    expect(textOf(view)).toContain(`#${a3?.id}`);
    expect(textOf(view)).toContain("1 / 1");
    expect(actionIds(view)).not.toContain(READER_ACTIONS.previous);
    expect(actionIds(view)).not.toContain(READER_ACTIONS.next);
    view = await clickIn(view, READER_ACTIONS.done);
    expect(textOf(view)).toContain("All read");
    expect(actionIds(view)).toEqual([]);
    expect(await queueOf("UALICE")).toEqual([]);
    const reads = await app.db.selectFrom("article_reads").selectAll().execute();
    expect(reads).toHaveLength(3);
  });

  it("moves on from the article shown, also when articles were saved meanwhile", async () => {
    const [a1, a2, a3] = await queueThree();
    let view = await openReader();
    expect(textOf(view)).toContain(`#${a3?.id}`);
    // Saved in another window: it becomes the newest entry, and a3 the second.
    const fourth = await app.db
      .selectFrom("articles")
      .select("id")
      .orderBy("id")
      .offset(3)
      .limit(1)
      .executeTakeFirstOrThrow();
    clock.advance(1000);
    await app.ask(`later ${fourth.id}`);
    view = await clickIn(view, READER_ACTIONS.next);
    expect(textOf(view)).toContain(`#${a2?.id}`);
    expect(textOf(view)).toContain("3 / 4");
    view = await clickIn(view, READER_ACTIONS.previous);
    expect(textOf(view)).toContain(`#${a3?.id}`);
    view = await clickIn(view, READER_ACTIONS.previous);
    expect(textOf(view)).toContain(`#${fourth.id}`);
    expect(textOf(view)).toContain("1 / 4");
    expect(await queueOf("UALICE")).toEqual([a1?.id, a2?.id, a3?.id, fourth.id]);
  });

  it("shows 'all read' for an empty queue, and speaks Japanese", async () => {
    expect(textOf(await openReader("UBOB"))).toContain("All read");
    await queueThree("UKENJI");
    const view = await openReader("UKENJI");
    expect(textOf(view)).toContain("1 / 3 件");
    const labels = JSON.stringify(view.blocks);
    for (const label of ["次へ", "既読にする", "コメント", "開く"]) expect(labels).toContain(label);
    expect(JSON.stringify(view.title)).toContain("あとで読む");
  });

  it("Comment opens the comment modal on top for the shown article", async () => {
    const [, , a3] = await queueThree();
    const view = await openReader();
    const before = app.fakeSlack.lastSeq();
    await app.slack.blockActions({
      user: { id: "UALICE" },
      view: {
        id: view.id,
        hash: view.hash,
        type: "modal",
        private_metadata: view.private_metadata,
      },
      actions: [
        {
          type: "button",
          action_id: READER_ACTIONS.comment,
          block_id: "reader-actions",
          value: String(a3?.id),
          text: { type: "plain_text", text: "Comment" },
          action_ts: "1700000000.000001",
        },
      ],
    });
    const pushed = await app.fakeSlack.waitForCall("views.push", (call) => call.seq > before);
    const modal = pushed.args.view as { callback_id: string; private_metadata: string };
    expect(modal.callback_id).toBe(QUEUE_VIEWS.comment.callbackId);
    expect(JSON.parse(modal.private_metadata)).toMatchObject({ articleId: a3?.id });
  });

  it("Hatena comments opens the article's Hatena Bookmark comments on top, the reader staying", async () => {
    await queueThree();
    const view = await openReader();
    const before = app.fakeSlack.lastSeq();
    await app.slack.blockActions({
      user: { id: "UALICE" },
      view: {
        id: view.id,
        hash: view.hash,
        type: "modal",
        private_metadata: view.private_metadata,
      },
      actions: [
        {
          type: "button",
          action_id: READER_ACTIONS.hatena,
          block_id: "reader-actions",
          value: "x",
          text: { type: "plain_text", text: "Hatena comments" },
          action_ts: "1700000000.000001",
        },
      ],
    });
    const pushed = await app.fakeSlack.waitForCall("views.push", (call) => call.seq > before);
    expect(textOf(pushed.args.view)).toContain("hatena-user");
    expect(textOf(pushed.args.view)).toContain("読んだ");
    expect(app.fakeSlack.callsTo("views.update")).toHaveLength(0);
  });

  it("refuses another user's or broken metadata, showing nothing of the other queue", async () => {
    const [a1, a2, a3] = await queueThree();
    const alices = await openReader();
    const bobs = await openReader("UBOB");
    // Bob's reader sent back with Alice's state in it.
    let view = await clickIn(bobs, READER_ACTIONS.done, "UBOB", alices.private_metadata);
    expect(textOf(view)).toContain("was not opened by you");
    for (const article of [a1, a2, a3]) expect(textOf(view)).not.toContain(`#${article?.id}`);
    expect(await queueOf("UALICE")).toEqual([a1?.id, a2?.id, a3?.id]);
    view = await clickIn(bobs, READER_ACTIONS.next, "UBOB", '{"userId":"UBOB","position":-4}');
    expect(textOf(view)).toContain("was not opened by you");
    view = await clickIn(bobs, READER_ACTIONS.next, "UBOB", "not json");
    expect(textOf(view)).toContain("was not opened by you");
    expect(await queueOf("UBOB")).toEqual([]);
  });

  it("has a Read button in App Home and on the later reply", async () => {
    await queueThree();
    const home = app.fakeSlack
      .callsTo("views.publish")
      .filter((call) => call.args.user_id === "UALICE")
      .at(-1);
    expect(JSON.stringify(home?.args.view)).toContain(READER_ACTIONS.open);
    const reply = await app.ask("later");
    expect(JSON.stringify(reply.blocks)).toContain(READER_ACTIONS.open);
  });
});

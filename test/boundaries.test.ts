import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ARTICLE_ACTIONS,
  QUEUE_ACTIONS,
  QUEUE_VIEWS,
  SAVED_LINK_ACTIONS,
} from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { jsonFeed } from "./support/factories.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * Channel boundaries, tried from outside: Mallory is in the workspace but not in the private
 * channel G_PRIV, where Alice and Bob read a private feed. Every attempt to see or change
 * what the access model does not give her is refused with words, and nothing changes.
 */

let app: TestApp;
let feeds: FeedServer;
let clock: FakeClock;
/** The private article (only G_PRIV's feed carries it) and the public one. */
let p1: number;
let x1: number;
/** Alice's assignments to Bob: of the private article, of the public one. */
let privateAssignment: number;
let publicAssignment: number;
/** The ts of G_PRIV's digest message, and the public article's URL. */
let privateDigestTs: string;
let publicUrl: string;

const ALICE = "UALICE";
const BOB = "UBOB";
const MALLORY = "UMALLORY";
const PRIVATE_URL = "https://articles.example/p1";

beforeEach(async () => {
  feeds = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  app = await startTestApp({ clock, pause: async () => {} });
  for (const [id, name] of [
    [ALICE, "alice"],
    [BOB, "bob"],
    [MALLORY, "mallory"],
  ] as const) {
    app.fakeSlack.addUser({ id, name, locale: "en-US" });
  }
  app.fakeSlack.addChannel({
    id: "G_PRIV",
    name: "incident",
    isPrivate: true,
    members: [ALICE, BOB],
  });
  app.fakeSlack.addChannel({ id: "C_PUB", name: "ops", members: [ALICE, BOB] });
  app.fakeSlack.addChannel({ id: "C_MAL", name: "mallory", members: [MALLORY] });

  feeds.set(
    "/private.json",
    jsonFeed("Private", [{ id: "p1", title: "Postmortem: the secret outage" }]),
  );
  feeds.set("/public.json", jsonFeed("Public", [{ id: "x1", title: "Redis memory notes" }]));
  const asAlice = (text: string, channelId: string) => app.ask(text, { userId: ALICE, channelId });
  await asAlice(`subscribe ${feeds.url("/private.json")}`, "G_PRIV");
  await asAlice(`subscribe ${feeds.url("/public.json")}`, "C_PUB");
  clock.advance(60_000);
  await asAlice("digest now", "G_PRIV");
  await asAlice("digest now", "C_PUB");
  const ids = await app.db.selectFrom("articles").select(["id", "url"]).orderBy("id").execute();
  p1 = ids.find((row) => row.url === PRIVATE_URL)?.id as number;
  x1 = ids.find((row) => row.url !== PRIVATE_URL)?.id as number;
  publicUrl = ids.find((row) => row.id === x1)?.url as string;
  const [privateDigest] = app.fakeSlack.postedMessages("G_PRIV");
  privateDigestTs = privateDigest?.ts as string;

  await asAlice(`assign <@${BOB}> ${p1} read before Friday`, "G_PRIV");
  await asAlice(`comment ${p1} root cause was the disk`, "G_PRIV");
  await app.ask(`later ${p1}`, { userId: BOB, channelId: "G_PRIV" });
  await asAlice(`assign <@${BOB}> ${x1} worth it`, "C_PUB");
  await asAlice(`comment ${x1} private thoughts about this`, "G_PRIV");
  const assignments = await app.db.selectFrom("assignments").select(["id", "article_id"]).execute();
  privateAssignment = assignments.find((row) => row.article_id === p1)?.id as number;
  publicAssignment = assignments.find((row) => row.article_id === x1)?.id as number;
});

afterEach(async () => {
  await app.stop();
  await feeds.close();
});

/** Everything an attempt could change, as rows. */
async function snapshot() {
  const db = app.db;
  return {
    readLater: await db.selectFrom("read_later").selectAll().orderBy("user_id").execute(),
    assignments: await db.selectFrom("assignments").selectAll().orderBy("id").execute(),
    changes: await db.selectFrom("assignment_changes").selectAll().orderBy("id").execute(),
    comments: await db.selectFrom("comments").selectAll().orderBy("id").execute(),
    subscriptions: await db.selectFrom("subscriptions").selectAll().orderBy("id").execute(),
    channels: await db.selectFrom("channels").selectAll().orderBy("channel_id").execute(),
    digests: await db.selectFrom("digests").selectAll().orderBy("id").execute(),
    reached: await db.selectFrom("article_channels").selectAll().orderBy("channel_id").execute(),
    outbox: await db.selectFrom("outbox").select(["key", "status"]).orderBy("key").execute(),
    reads: await db.selectFrom("article_reads").selectAll().execute(),
  };
}

/** Mallory's slash command, typed (or forged) in `channelId`; the reply she reads. */
async function mallory(text: string, channelId = "C_MAL") {
  return (await app.ask(text, { userId: MALLORY, channelId })).text;
}

/** Mallory clicks (or forges) a button in `channelId`; the reply she reads, if any. */
async function malloryClicks(actionId: string, value: string, channelId = "C_MAL") {
  const before = app.fakeSlack.lastSeq();
  const sent = await app.slack.blockActions({
    user: { id: MALLORY },
    channel: { id: channelId, name: "x" },
    container: { type: "message", channel_id: channelId, message_ts: "1.1" },
    actions: [
      {
        type: "button",
        action_id: actionId,
        block_id: "b",
        value,
        text: { type: "plain_text", text: "x" },
        action_ts: "1.2",
      },
    ],
  });
  expect(sent.status).toBe(200);
  const response = await app.fakeSlack.waitForResponse(sent.responseUrlId as string);
  // No modal was opened for her, whatever the button.
  expect(app.fakeSlack.callsTo("views.open").filter((call) => call.seq > before)).toHaveLength(0);
  return textOf(response.body);
}

/** Mallory submits (or forges) a modal; the errors it answers with. */
async function mallorySubmits(
  callbackId: string,
  metadata: { articleId: number; channelId: string | null; url?: string },
  values: Record<string, Record<string, unknown>>,
) {
  const answer = await app.slack.viewSubmission({
    user: { id: MALLORY },
    view: {
      id: `V_FORGED_${Math.random().toString(36).slice(2)}`,
      callback_id: callbackId,
      private_metadata: JSON.stringify(metadata),
      state: { values },
    },
  });
  expect(answer.status).toBe(200);
  return JSON.stringify(answer.json);
}

const NOT_VISIBLE = "that you can see";
const PRIVATE = "private channel you are not a member of";
const TAKEN = "already has this article from <@UALICE>";

function assignValues(assignee: string) {
  const v = QUEUE_VIEWS.assign;
  return {
    [v.assigneeBlock]: { [v.assigneeAction]: { type: "users_select", selected_user: assignee } },
    [v.noteBlock]: { [v.noteAction]: { type: "plain_text_input", value: "mine now" } },
    [v.dueBlock]: { [v.dueAction]: { type: "datepicker", selected_date: null } },
  };
}

function commentValues(text: string) {
  const v = QUEUE_VIEWS.comment;
  return { [v.textBlock]: { [v.textAction]: { type: "plain_text_input", value: text } } };
}

/** Each attempt: what Mallory tries, and the words her refusal must carry. */
const attempts: Array<[string, () => Promise<string>, string]> = [
  ["later <private article>", () => mallory(`later ${p1}`), NOT_VISIBLE],
  ["done <private article>", () => mallory(`done ${p1}`), NOT_VISIBLE],
  ["assign <@Bob> <private article>", () => mallory(`assign <@${BOB}> ${p1} hi`), NOT_VISIBLE],
  ["comment <private article>", () => mallory(`comment ${p1} hello`), NOT_VISIBLE],
  ["comments <private article>", () => mallory(`comments ${p1}`), NOT_VISIBLE],
  ["later <a number walked to>", () => mallory(`later ${p1 + 1000}`), NOT_VISIBLE],
  [
    "assign <@Bob> <public article Alice gave him>",
    () => mallory(`assign <@${BOB}> ${x1} hi`),
    TAKEN,
  ],
  ["list, forged in the private channel", () => mallory("list", "G_PRIV"), PRIVATE],
  ["digest now, forged in the private channel", () => mallory("digest now", "G_PRIV"), PRIVATE],
  ["digest at, forged in the private channel", () => mallory("digest at 10:00", "G_PRIV"), PRIVATE],
  ["digest off, forged in the private channel", () => mallory("digest off", "G_PRIV"), PRIVATE],
  ["digest, forged in the private channel", () => mallory("digest", "G_PRIV"), PRIVATE],
  [
    "subscribe, forged in the private channel",
    () => mallory(`subscribe ${feeds.url("/public.json")}`, "G_PRIV"),
    PRIVATE,
  ],
  [
    "unsubscribe 1, forged in the private channel",
    () => mallory("unsubscribe 1", "G_PRIV"),
    PRIVATE,
  ],
  [
    "comment on a public article in the private channel",
    () => mallory(`comment ${x1} hi`, "G_PRIV"),
    PRIVATE,
  ],
  [
    "later <public article> in the private channel",
    () => mallory(`later ${x1}`, "G_PRIV"),
    PRIVATE,
  ],
  [
    "comments <public article> in the private channel",
    () => mallory(`comments ${x1}`, "G_PRIV"),
    PRIVATE,
  ],
  ["done <public article> in the private channel", () => mallory(`done ${x1}`, "G_PRIV"), PRIVATE],
  ["assign in the private channel", () => mallory(`assign <@${BOB}> ${x1} hi`, "G_PRIV"), PRIVATE],
  [
    "Read later button on the private article",
    () => malloryClicks(ARTICLE_ACTIONS.readLater, String(p1)),
    NOT_VISIBLE,
  ],
  [
    "Read later button forged in the private channel",
    () => malloryClicks(ARTICLE_ACTIONS.readLater, String(x1), "G_PRIV"),
    PRIVATE,
  ],
  [
    "Done button on the private article",
    () => malloryClicks(ARTICLE_ACTIONS.done, String(p1)),
    NOT_VISIBLE,
  ],
  [
    "Assign button on the private article",
    () => malloryClicks(ARTICLE_ACTIONS.assign, String(p1)),
    NOT_VISIBLE,
  ],
  [
    "Comment button on the private article",
    () => malloryClicks(ARTICLE_ACTIONS.comment, String(p1)),
    NOT_VISIBLE,
  ],
  [
    "Cancel button of Alice's private assignment",
    () => malloryClicks(QUEUE_ACTIONS.cancelAssignment, String(privateAssignment)),
    "Only the person who assigned the article, or the person it is assigned to",
  ],
  [
    "Cancel button of Alice's public assignment",
    () => malloryClicks(QUEUE_ACTIONS.cancelAssignment, String(publicAssignment)),
    "Only the person who assigned the article, or the person it is assigned to",
  ],
  [
    "comment modal forged for the private article and channel",
    () =>
      mallorySubmits(
        QUEUE_VIEWS.comment.callbackId,
        { articleId: p1, channelId: "G_PRIV" },
        commentValues("x"),
      ),
    NOT_VISIBLE,
  ],
  [
    "comment modal forged to post in the private channel's thread",
    () =>
      mallorySubmits(
        QUEUE_VIEWS.comment.callbackId,
        { articleId: x1, channelId: "G_PRIV" },
        commentValues("x"),
      ),
    PRIVATE,
  ],
  [
    "assign modal forged for the private article",
    () =>
      mallorySubmits(
        QUEUE_VIEWS.assign.callbackId,
        { articleId: p1, channelId: "G_PRIV" },
        assignValues(BOB),
      ),
    NOT_VISIBLE,
  ],
  [
    "assign modal forged for the private channel",
    () =>
      mallorySubmits(
        QUEUE_VIEWS.assign.callbackId,
        { articleId: x1, channelId: "G_PRIV" },
        assignValues(BOB),
      ),
    PRIVATE,
  ],
  [
    "pick button of a save reaction, forged for the private channel's digest",
    () =>
      malloryClicks(
        SAVED_LINK_ACTIONS.pickForReaction,
        JSON.stringify({ articleId: p1, channelId: "G_PRIV", messageTs: privateDigestTs }),
      ),
    PRIVATE,
  ],
  [
    "pick button of a save reaction, forged to name the private article on another message",
    () =>
      malloryClicks(
        SAVED_LINK_ACTIONS.pickForReaction,
        JSON.stringify({ articleId: p1, channelId: "C_MAL", messageTs: "1.1" }),
      ),
    NOT_VISIBLE,
  ],
  [
    "pick button of a save reaction with a value opsfeed did not make",
    () => malloryClicks(SAVED_LINK_ACTIONS.pickForReaction, `{"articleId":"${p1}"}`),
    "opsfeed did not make",
  ],
  [
    "assign modal of a message shortcut, forged to carry the private article under a public link",
    () =>
      mallorySubmits(
        QUEUE_VIEWS.assign.callbackId,
        { articleId: p1, channelId: "C_MAL", url: publicUrl },
        assignValues(BOB),
      ),
    NOT_VISIBLE,
  ],
];

describe("Mallory, outside the private channel", () => {
  it("has enough attempts to be worth its name", () => {
    expect(attempts.length).toBeGreaterThanOrEqual(30);
  });

  for (const [name, attempt, reason] of attempts) {
    it(`is refused with a reason, changing nothing: ${name}`, async () => {
      const before = await snapshot();
      const reply = await attempt();
      expect(reply).toContain(reason);
      // Nothing of the private channel in the words she reads.
      expect(reply).not.toContain("secret outage");
      expect(reply).not.toContain("root cause");
      expect(await snapshot()).toEqual(before);
    });
  }

  it("takes over no assignment through the modal either, and Alice's stays hers", async () => {
    const before = await snapshot();
    await mallorySubmits(
      QUEUE_VIEWS.assign.callbackId,
      { articleId: x1, channelId: "C_MAL" },
      assignValues(BOB),
    );
    const refusal = await app.fakeSlack.waitForCall(
      "chat.postEphemeral",
      (call) => call.args.user === MALLORY && textOf(call.args).includes(TAKEN),
    );
    expect(refusal.args.channel).toBe("C_MAL");
    expect(await snapshot()).toEqual(before);
  });

  it("sees none of it in her own lists, App Home and the public article's comments", async () => {
    expect(await mallory("later")).not.toContain("secret outage");
    expect(await mallory("assigned")).not.toContain("secret outage");
    const comments = await mallory(`comments ${x1}`);
    expect(comments).toContain("Redis memory notes");
    expect(comments).not.toContain("private thoughts");
    const before = app.fakeSlack.lastSeq();
    await app.slack.event({
      type: "app_home_opened",
      user: MALLORY,
      channel: "DUMALLORY",
      tab: "home",
    });
    const home = await app.fakeSlack.waitForCall(
      "views.publish",
      (call) => call.seq > before && call.args.user_id === MALLORY,
    );
    expect(textOf(home.args.view)).not.toContain("secret outage");
  });

  it("still reads a public channel's article, as Slack lets anyone read a public channel", async () => {
    expect(await mallory(`later ${x1}`)).toContain("Saved");
    // Alice's comment was made in the private channel: Mallory sees the article, not it.
    expect(await mallory(`comments ${x1}`)).toContain("No comments yet");
  });
});

describe("the people inside", () => {
  it("lets a member of the private channel read and comment on its article", async () => {
    const bob = (text: string) => app.ask(text, { userId: BOB, channelId: "G_PRIV" });
    expect((await bob(`comments ${p1}`)).text).toContain("root cause was the disk");
    expect((await bob(`comment ${p1} agreed`)).text).toContain("Your comment on");
    // Bob's own queue and assignment make the article his, also from another channel.
    expect((await app.ask(`done ${p1}`, { userId: BOB, channelId: "C_PUB" })).text).toContain(
      "Marked",
    );
  });

  it("lets the assignee change his assignment and tells the assigner, and records who did what", async () => {
    const reply = await app.ask(`assign <@${BOB}> ${x1} I will do it next week`, {
      userId: BOB,
      channelId: "C_PUB",
    });
    expect(reply.text).toContain("Updated your assignment");
    const dm = await app.fakeSlack.waitUntil(
      () =>
        app.fakeSlack
          .postedMessages(`D${ALICE}`)
          .find((message) => textOf(message).includes("changed the assignment")),
      "Alice's DM about Bob's change",
    );
    expect(textOf(dm)).toContain("I will do it next week");
    const row = await app.db
      .selectFrom("assignments")
      .selectAll()
      .where("id", "=", publicAssignment)
      .executeTakeFirstOrThrow();
    expect(row.assigner_id).toBe(ALICE);
    const changes = await app.db
      .selectFrom("assignment_changes")
      .select(["actor_id", "action"])
      .where("assignment_id", "=", publicAssignment)
      .orderBy("id")
      .execute();
    expect(changes).toEqual([
      { actor_id: ALICE, action: "assigned" },
      { actor_id: BOB, action: "updated" },
    ]);
  });
});

describe("values opsfeed did not make", () => {
  const article = () => String(x1);
  const badValues: Array<[string, string]> = [
    ["a negative id", "-1"],
    ["an empty value", ""],
    ["a megabyte", "9".repeat(1024 * 1024)],
    ["words", "drop table"],
    ["a float", "1.5"],
  ];
  for (const [name, value] of badValues) {
    it(`answers a button carrying ${name} in words`, async () => {
      const before = await snapshot();
      const reply = await malloryClicks(ARTICLE_ACTIONS.readLater, value);
      expect(reply).toContain("carries a value opsfeed did not make");
      expect(reply.length).toBeLessThan(400);
      expect(await snapshot()).toEqual(before);
    });
  }

  for (const offset of ["-5", "1e308", "99999999999"]) {
    it(`answers a queue page offset of ${offset} in words`, async () => {
      expect(await malloryClicks(QUEUE_ACTIONS.queuePage, offset)).toContain(
        "carries a value opsfeed did not make",
      );
    });
  }

  for (const date of ["2026-13-45", "tomorrow", "2026-02-30"]) {
    it(`refuses a due date of ${date} under the date field`, async () => {
      const v = QUEUE_VIEWS.assign;
      const before = await snapshot();
      const answer = await app.slack.viewSubmission({
        user: { id: ALICE },
        view: {
          id: `V_DATE_${date}`,
          callback_id: v.callbackId,
          private_metadata: JSON.stringify({ articleId: Number(article()), channelId: "C_PUB" }),
          state: {
            values: {
              ...assignValues("UMALLORY"),
              [v.dueBlock]: { [v.dueAction]: { type: "datepicker", selected_date: date } },
            },
          },
        },
      });
      expect(answer.json).toMatchObject({ response_action: "errors" });
      expect(JSON.stringify(answer.json)).toContain(`${date} is not a date`);
      expect(await snapshot()).toEqual(before);
    });
  }

  it("acknowledges an unknown action id, an unknown callback id and a payload without a user", async () => {
    const unknownAction = await app.slack.blockActions({
      actions: [
        { type: "button", action_id: "no_such_button", block_id: "b", value: "1", action_ts: "1" },
      ],
    });
    expect(unknownAction.status).toBe(200);
    const unknownView = await app.slack.viewSubmission({ view: { callback_id: "no_such_modal" } });
    expect(unknownView.status).toBe(200);
    const payload = JSON.stringify({
      type: "block_actions",
      team: { id: "T1" },
      api_app_id: "A_OPSFEED",
      trigger_id: "1.2",
      actions: [
        {
          type: "button",
          action_id: ARTICLE_ACTIONS.done,
          block_id: "b",
          value: "1",
          action_ts: "1",
        },
      ],
    });
    const body = new URLSearchParams({ payload }).toString();
    const noUser = await app.slack.raw(body, app.slack.signedHeaders(body));
    expect(noUser.status).toBe(200);
    expect(app.logs.some((line) => line.includes("unknown action id"))).toBe(true);
    expect(app.logs.some((line) => line.includes("unknown callback id"))).toBe(true);
    // Bolt itself cannot read an interaction without a user: answered 200 and logged.
    expect(app.logs.some((line) => line.includes("could not be handled; answered 200"))).toBe(true);
  });

  for (const [name, seconds] of [
    ["an hour", 3600],
    ["a year", 365 * 24 * 3600],
  ] as const) {
    it(`refuses a request signed ${name} in the future, like a stale one`, async () => {
      const body = new URLSearchParams({
        command: "/opsfeed",
        text: "help",
        user_id: ALICE,
      }).toString();
      const future = Math.floor(Date.now() / 1000) + seconds;
      const answer = await app.slack.raw(body, app.slack.signedHeaders(body, future));
      expect(answer.status).toBe(401);
    });
  }
});

describe("credentials in feed URLs", () => {
  it("fetches with them but never shows them, in Slack or in the OPML export", async () => {
    feeds.set("/secret.json", jsonFeed("Secret", [{ id: "s1", title: "Behind a password" }]));
    const url = feeds.url("/secret.json").replace("http://", "http://ops:hunter2@");
    const subscribed = await app.ask(`subscribe ${url}`, { userId: ALICE, channelId: "C_PUB" });
    expect(subscribed.text).toContain("Subscribed");
    expect(JSON.stringify(subscribed.raw)).not.toContain("hunter2");
    expect(JSON.stringify(subscribed.raw)).toContain("***@");
    const list = await app.ask("list", { userId: ALICE, channelId: "C_PUB" });
    expect(JSON.stringify(list.raw)).not.toContain("hunter2");
    expect(JSON.stringify(list.raw)).toContain("***@");
    const exported = await app.services.subscriptions.feedsToExport(null);
    expect(JSON.stringify(exported)).not.toContain("hunter2");
    expect(app.logs.join("\n")).not.toContain("hunter2");
    // The fetch itself carried them.
    const feed = await app.db
      .selectFrom("feeds")
      .select("url")
      .where("url", "like", "%secret%")
      .executeTakeFirstOrThrow();
    expect(feed.url).toContain("ops:hunter2@");
  });
});

describe("what a channel was shown", () => {
  it("stays visible to the channel's members after it unsubscribes", async () => {
    await app.ask("unsubscribe 1", { userId: ALICE, channelId: "G_PRIV" });
    expect((await app.ask(`comments ${p1}`, { userId: ALICE, channelId: "C_PUB" })).text).toContain(
      "root cause was the disk",
    );
    expect(await mallory(`comments ${p1}`)).toContain(NOT_VISIBLE);
  });
});

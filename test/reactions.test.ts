import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SAVED_LINK_ACTIONS } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { digestPosts, typedMessage } from "./support/factories.js";
import type { RecordedCall } from "./support/fake-slack.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * Saving with a reaction: signed `reaction_added` / `reaction_removed` events on messages the
 * stand-in Slack holds (a user's message, a thread reply, a digest), the replies only the
 * reacting user sees, and what ends up in their queue.
 */

let app: TestApp;
let server: FeedServer;
let clock: FakeClock;

const AZ1 = "https://ops-blog.example.jp/entry/2021/02/20/aws-apne-az1-outage";
const AZ1_TITLE = "AWS 東京リージョン apne-az1 障害で起きたこと";

beforeEach(async () => {
  server = await startFeedServer();
  clock = fakeClock("2026-11-25T10:00:00.000Z");
  app = await startTestApp({ clock });
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UBOB", name: "bob", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP" });
  app.fakeSlack.addUser({ id: "UHELPER", name: "helper-bot", isBot: true });
  server.set("/incident-review", {
    body: "<!doctype html><title>Incident review: the 24 November DNS outage</title>",
    contentType: "text/html; charset=utf-8",
  });
  server.set("/capacity", {
    body: "<!doctype html><title>Capacity planning for the holidays</title>",
    contentType: "text/html",
  });
});

afterEach(async () => {
  await app.stop();
  await server.close();
});

let eventCount = 0;

/** A reaction event as Slack sends it; `eventTs` orders events, `eventId` repeats one. */
async function react(
  change: "added" | "removed",
  target: { ts: string; channel?: string },
  options: {
    user?: string;
    emoji?: string;
    eventId?: string;
    retryNum?: number;
    eventTs?: string;
  } = {},
) {
  eventCount += 1;
  const sent = await app.slack.event(
    {
      type: change === "added" ? "reaction_added" : "reaction_removed",
      user: options.user ?? "UALICE",
      reaction: options.emoji ?? "bookmark",
      item_user: "UBOB",
      item: { type: "message", channel: target.channel ?? "C_OPS", ts: target.ts },
      event_ts: options.eventTs ?? `${1_790_000_000 + eventCount}.000100`,
    },
    {
      ...(options.eventId ? { eventId: options.eventId } : {}),
      ...(options.retryNum === undefined ? {} : { retryNum: options.retryNum }),
    },
  );
  // Slack is answered at once; the work goes on after.
  expect(sent.status).toBe(200);
  return sent;
}

/** Waits until opsfeed has finished with an event, and returns its closing log line. */
async function handled(eventId: string): Promise<string> {
  const find = () =>
    app.logs.find((line) => line.includes("reaction handled") && line.includes(`event=${eventId}`));
  for (let attempt = 0; attempt < 400 && !find(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const line = find();
  if (!line) throw new Error(`opsfeed never finished with ${eventId}:\n${app.logs.join("\n")}`);
  return line;
}

/** The ephemeral replies opsfeed sent a user after `afterSeq`. */
function repliesTo(userId: string, afterSeq: number): RecordedCall[] {
  return app.fakeSlack
    .callsTo("chat.postEphemeral")
    .filter((call) => call.seq > afterSeq && call.args.user === userId);
}

/** Sends a reaction and returns the one reply it caused, once opsfeed is done with it. */
async function reactAndRead(...args: Parameters<typeof react>) {
  const before = app.fakeSlack.lastSeq();
  const sent = await react(...args);
  await handled(sent.eventId);
  const replies = repliesTo(args[2]?.user ?? "UALICE", before);
  expect(replies).toHaveLength(1);
  const [reply] = replies as [RecordedCall];
  return { text: textOf(reply.args), call: reply };
}

async function queueOf(userId = "UALICE") {
  return (await app.ask("later", { userId })).text;
}

/** Bob posts a message with these links in #ops. */
function bobPosts(words: string, links: string[], extra: { threadTs?: string } = {}) {
  return app.fakeSlack.postUserMessage("C_OPS", {
    user: "UBOB",
    ...typedMessage(words, links),
    ...extra,
  });
}

describe("the save reaction on a user's message", () => {
  it("saves a link opsfeed has not seen, with the page's title, and tells only the reacting user", async () => {
    const message = bobPosts("Worth a read:", [server.url("/incident-review")]);
    const { text, call } = await reactAndRead("added", message);
    expect(text).toContain("Saved *#1* <");
    expect(text).toContain("|Incident review: the 24 November DNS outage>");
    expect(call.args.channel).toBe("C_OPS");
    expect(call.args.thread_ts).toBeUndefined();
    // The message was read the way Slack documents for one message.
    const history = app.fakeSlack.callsTo("conversations.history").at(-1);
    expect(history?.args).toMatchObject({
      channel: "C_OPS",
      latest: message.ts,
      oldest: message.ts,
      inclusive: "true",
    });
    expect(await queueOf()).toContain("Incident review: the 24 November DNS outage");
    expect(await queueOf("UBOB")).not.toContain("Incident review");
    const home = app.fakeSlack
      .callsTo("views.publish")
      .filter((c) => c.args.user_id === "UALICE")
      .at(-1);
    expect(textOf(home?.args.view)).toContain("Incident review: the 24 November DNS outage");
  });

  it("in a private channel, lets its members find the saved article by number, and no one else", async () => {
    app.fakeSlack.addUser({ id: "UMALLORY", name: "mallory", locale: "en-US" });
    app.fakeSlack.addChannel({
      id: "G_INC",
      name: "incident",
      isPrivate: true,
      members: ["UALICE", "UBOB"],
    });
    const message = app.fakeSlack.postUserMessage("G_INC", {
      user: "UBOB",
      ...typedMessage("Draft postmortem", [server.url("/incident-review")]),
    });
    const { text } = await reactAndRead("added", { ts: message.ts, channel: "G_INC" });
    const id = /Saved \*#(\d+)\*/.exec(text)?.[1];
    expect(id).toBeDefined();
    const bob = await app.ask(`later ${id}`, { userId: "UBOB", channelId: "C_OPS" });
    expect(bob.text).toContain("Incident review: the 24 November DNS outage");
    const mallory = await app.ask(`later ${id}`, { userId: "UMALLORY", channelId: "C_OPS" });
    expect(mallory.text).toContain("that you can see");
    expect(mallory.text).not.toContain("Incident review");
  });

  it("saves every link of a message with three: known, new, and one that cannot be read", async () => {
    await app.ask(`subscribe ${server.url("hatena-hotentry-it.rdf")}`);
    const message = bobPosts("Reading list for the retro", [
      AZ1,
      server.url("/capacity"),
      server.url("/gone"),
    ]);
    const { text } = await reactAndRead("added", message);
    expect(text).toContain("Saved 3 to your read-later queue");
    expect(text).toContain(AZ1_TITLE);
    expect(text).toContain("Capacity planning for the holidays");
    expect(text).toContain("the server answered HTTP 404");
    const queue = await queueOf();
    expect(queue).toContain(AZ1_TITLE);
    expect(queue).toContain("Capacity planning for the holidays");
    expect(queue).toContain(server.url("/gone"));
  });

  it("saves at most five links of one message and says how many it left out", async () => {
    const links = Array.from({ length: 7 }, (_, i) => server.url(`/page-${i}`));
    for (const [i, link] of links.entries()) {
      server.set(new URL(link).pathname, {
        body: `<title>Page ${i}</title>`,
        contentType: "text/html",
      });
    }
    // The same link twice counts once.
    const message = bobPosts("Everything from the incident channel", [
      ...links,
      links[0] as string,
    ]);
    const { text } = await reactAndRead("added", message);
    expect(text).toContain("Saved 5");
    expect(text).toContain(
      "Only the first 5 links of the message were saved; 2 more were left out.",
    );
    const queue = await queueOf();
    expect(queue).toContain("Page 4");
    expect(queue).not.toContain("Page 5");
  });

  it("reads a reply in a thread from conversations.replies and answers in that thread", async () => {
    const parent = bobPosts("Incident thread", []);
    const reply = app.fakeSlack.postUserMessage("C_OPS", {
      user: "UKENJI",
      ...typedMessage("振り返りはこちら", [server.url("/incident-review")]),
      threadTs: parent.ts,
    });
    const { text, call } = await reactAndRead("added", reply);
    expect(text).toContain("Incident review: the 24 November DNS outage");
    expect(call.args.thread_ts).toBe(parent.ts);
    const replies = app.fakeSlack.callsTo("conversations.replies").at(-1);
    expect(replies?.args).toMatchObject({ channel: "C_OPS", ts: reply.ts });
  });

  it("answers a Japanese user in Japanese", async () => {
    const message = bobPosts("Worth a read:", [server.url("/incident-review")]);
    const { text } = await reactAndRead("added", message, { user: "UKENJI" });
    expect(text).toContain("「あとで読む」に追加しました");
  });

  it("does nothing on a message without a link", async () => {
    const message = bobPosts("Lunch at noon? <@UALICE>", []);
    const before = app.fakeSlack.lastSeq();
    const sent = await react("added", message);
    expect(await handled(sent.eventId)).toContain("reason=no-links");
    expect(repliesTo("UALICE", before)).toEqual([]);
    expect(await queueOf()).toContain("empty");
  });

  it("does nothing when a bot reacts", async () => {
    const message = bobPosts("Worth a read:", [server.url("/incident-review")]);
    const before = app.fakeSlack.lastSeq();
    const sent = await react("added", message, { user: "UHELPER" });
    expect(await handled(sent.eventId)).toContain("reason=bot");
    expect(repliesTo("UHELPER", before)).toEqual([]);
    expect(await app.db.selectFrom("read_later").selectAll().execute()).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it("does nothing for other emoji", async () => {
    const message = bobPosts("Worth a read:", [server.url("/incident-review")]);
    const before = app.fakeSlack.lastSeq();
    const sent = await react("added", message, { emoji: "eyes" });
    expect(await handled(sent.eventId)).toContain("reason=not-ours");
    expect(repliesTo("UALICE", before)).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it("acts once on an event Slack delivers again with X-Slack-Retry-Num", async () => {
    const message = bobPosts("Worth a read:", [server.url("/incident-review")]);
    const before = app.fakeSlack.lastSeq();
    const first = await react("added", message);
    await handled(first.eventId);
    const retry = await react("added", message, { eventId: first.eventId, retryNum: 1 });
    expect(retry.eventId).toBe(first.eventId);
    // Both deliveries are logged under the same event id; the second was a replay.
    for (let i = 0; i < 400; i++) {
      if (app.logs.some((line) => line.includes("reason=replayed"))) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(app.logs.filter((line) => line.includes("reason=replayed"))).toHaveLength(1);
    expect(repliesTo("UALICE", before)).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });
});

describe("removing the save reaction", () => {
  it("takes out what the reaction saved, and only that", async () => {
    await app.ask(`subscribe ${server.url("hatena-hotentry-it.rdf")}`);
    // Alice had saved AZ1 herself before anyone reacted.
    await app.ask(`later ${AZ1}`);
    const message = bobPosts("Two reads", [AZ1, server.url("/capacity")]);
    const saved = await reactAndRead("added", message);
    expect(saved.text).toContain("(already in your queue)");
    const removed = await reactAndRead("removed", message);
    expect(removed.text).toContain("You removed the reaction, so *#");
    expect(removed.text).toContain("Capacity planning for the holidays");
    expect(removed.text).not.toContain(AZ1_TITLE);
    const queue = await queueOf();
    expect(queue).toContain(AZ1_TITLE);
    expect(queue).not.toContain("Capacity planning");
  });

  it("wins over an addition that arrives after it but happened before it", async () => {
    const message = bobPosts("Worth a read:", [server.url("/incident-review")]);
    const removal = await react("removed", message, { eventTs: "1790000100.000200" });
    expect(await handled(removal.eventId)).toContain("reason=nothing-saved");
    const late = await react("added", message, { eventTs: "1790000100.000100" });
    expect(await handled(late.eventId)).toContain("reason=superseded");
    expect(await queueOf()).toContain("empty");
  });

  it("saves again when the reaction is added again", async () => {
    const message = bobPosts("Worth a read:", [server.url("/incident-review")]);
    await reactAndRead("added", message);
    await reactAndRead("removed", message);
    expect(await queueOf()).not.toContain("Incident review");
    const again = await reactAndRead("added", message);
    expect(again.text).toContain("Saved");
    expect(await queueOf()).toContain("Incident review");
  });
});

describe("the save reaction on a digest message", () => {
  async function postDigest() {
    await app.ask(`subscribe ${server.url("hatena-hotentry-it.rdf")}`);
    clock.advance(60_000);
    await app.ask("digest now");
    const [digest] = digestPosts(app.fakeSlack.postedMessages("C_OPS"));
    if (!digest) throw new Error("no digest posted");
    return digest;
  }

  it("asks which of its articles, and the button saves that one, which the removal takes out", async () => {
    const digest = await postDigest();
    const { text, call } = await reactAndRead("added", digest);
    expect(text).toContain(
      "This digest message carries 8 articles. Which do you want to read later?",
    );
    const buttons = (
      call.args.blocks as Array<{ accessory?: { action_id: string; value: string } }>
    )
      .map((block) => block.accessory)
      .filter((accessory) => accessory?.action_id === SAVED_LINK_ACTIONS.pickForReaction);
    expect(buttons).toHaveLength(8);
    // Nothing is saved until the user picks.
    expect(await queueOf()).toContain("empty");

    const azButton = buttons.find((button) => {
      const { articleId } = JSON.parse(button?.value ?? "{}") as { articleId: number };
      return text.includes(`*#${articleId}* <${AZ1}|`);
    });
    const clicked = await app.slack.blockActions({
      user: { id: "UALICE" },
      actions: [
        {
          type: "button",
          action_id: SAVED_LINK_ACTIONS.pickForReaction,
          block_id: "pick",
          value: azButton?.value,
          action_ts: "1790000000.000001",
        },
      ],
    });
    const answer = await app.fakeSlack.waitForResponse(clicked.responseUrlId as string);
    expect(textOf(answer.body)).toContain("Saved");
    expect(textOf(answer.body)).toContain(AZ1_TITLE);
    expect(answer.body.response_type).toBe("ephemeral");
    const queue = await queueOf();
    expect(queue).toContain(AZ1_TITLE);
    expect(queue).toContain("Your read-later queue (1)");

    const removed = await reactAndRead("removed", digest);
    expect(removed.text).toContain(AZ1_TITLE);
    expect(await queueOf()).toContain("empty");
  });

  it("saves the one article of a digest message that carries only one", async () => {
    server.set("/one.json", {
      body: JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        title: "One",
        items: [{ id: "1", url: "https://articles.example/only", title: "The only article" }],
      }),
      contentType: "application/feed+json",
    });
    await app.ask(`subscribe ${server.url("/one.json")}`);
    clock.advance(60_000);
    await app.ask("digest now");
    const [digest] = digestPosts(app.fakeSlack.postedMessages("C_OPS"));
    const { text } = await reactAndRead("added", digest as { ts: string });
    expect(text).toContain("Saved *#1* <https://articles.example/only|The only article>");
  });
});

describe("the done reaction", () => {
  it("marks the message's article done, as `done` would: out of the queue, the assignment completed", async () => {
    await app.ask(`subscribe ${server.url("hatena-hotentry-it.rdf")}`);
    await app.ask(`later ${AZ1}`);
    await app.ask(`assign <@UALICE> ${AZ1}`, { userId: "UBOB" });
    const message = bobPosts("Did everyone read this?", [AZ1]);
    const { text } = await reactAndRead("added", message, { emoji: "white_check_mark" });
    expect(text).toContain("Marked *#");
    expect(text).toContain("completed the assignment from <@UBOB>");
    expect(await queueOf()).toContain("empty");
    expect((await app.ask("assigned")).text).not.toContain(AZ1_TITLE);
    const toBob = await app.fakeSlack.waitForCall(
      "chat.postMessage",
      (call) => call.args.channel === "DUBOB" && textOf(call.args).includes("<@UALICE>"),
    );
    expect(textOf(toBob.args)).toContain(AZ1_TITLE);
  });

  it("does nothing on a message whose links opsfeed does not know, and fetches nothing", async () => {
    const message = bobPosts("Deployed", [server.url("/incident-review")]);
    const before = app.fakeSlack.lastSeq();
    const sent = await react("added", message, { emoji: "white_check_mark" });
    expect(await handled(sent.eventId)).toContain("reason=unknown-articles");
    expect(repliesTo("UALICE", before)).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});

describe("reaction settings and failures", () => {
  it("saves with the emoji OPSFEED_SAVE_REACTION names, and no other", async () => {
    const pinned = await startTestApp({
      fakeSlack: app.fakeSlack,
      env: { OPSFEED_SAVE_REACTION: "pushpin", OPSFEED_DONE_REACTION: "ballot_box_with_check" },
    });
    try {
      const message = bobPosts("Worth a read:", [server.url("/incident-review")]);
      const event = (emoji: string) =>
        pinned.slack.event({
          type: "reaction_added",
          user: "UALICE",
          reaction: emoji,
          item: { type: "message", channel: "C_OPS", ts: message.ts },
          event_ts: `${1_790_000_500 + emoji.length}.000100`,
        });
      const logged = async (eventId: string) => {
        for (let i = 0; i < 400; i++) {
          const line = pinned.logs.find(
            (l) => l.includes("reaction handled") && l.includes(eventId),
          );
          if (line) return line;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error("not handled");
      };
      expect(await logged((await event("bookmark")).eventId)).toContain("reason=not-ours");
      expect(await logged((await event("pushpin")).eventId)).toContain("outcome=saved");
    } finally {
      await pinned.stop();
    }
  });

  it("tells the user when Slack will not show opsfeed the message", async () => {
    const message = bobPosts("Worth a read:", [server.url("/incident-review")]);
    app.fakeSlack.failNext("conversations.history", { error: "not_in_channel" });
    const { text } = await reactAndRead("added", message);
    expect(text).toContain("opsfeed could not read that message (Slack said `not_in_channel`)");
    expect(text).toContain("/invite @opsfeed");
  });
});

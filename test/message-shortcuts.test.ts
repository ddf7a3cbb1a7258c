import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ARTICLE_ACTIONS, MESSAGE_SHORTCUTS, QUEUE_VIEWS } from "../src/slack/ids.js";
import { type FakeClock, fakeClock } from "./support/clock.js";
import { digestPosts, typedMessage } from "./support/factories.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { textOf } from "./support/signed-requests.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

/*
 * The message shortcuts Save for later and Assign to a teammate, sent as Slack sends a
 * `message_action` (the message is in the payload), answered on the shortcut's response_url
 * or with the assign modal.
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
  server.set("/runbook", {
    body: "<!doctype html><title>DB failover runbook</title>",
    contentType: "text/html",
  });
});

afterEach(async () => {
  await app.stop();
  await server.close();
});

/** A message Bob typed in #ops, as a shortcut payload carries it. */
function bobsMessage(words: string, links: string[]) {
  const stored = app.fakeSlack.postUserMessage("C_OPS", {
    user: "UBOB",
    ...typedMessage(words, links),
  });
  return { user: "UBOB", ts: stored.ts, text: stored.text, blocks: stored.blocks };
}

/** Runs a shortcut on a message and returns the reply on its response_url. */
async function shortcutReply(callbackId: string, message: Record<string, unknown>) {
  const sent = await app.slack.messageAction(callbackId, message);
  expect(sent.status).toBe(200);
  const reply = await app.fakeSlack.waitForResponse(sent.responseUrlId as string);
  expect(reply.body.response_type).toBe("ephemeral");
  return { text: textOf(reply.body), body: reply.body };
}

/** Submits the assign modal opened with `privateMetadata` for Bob, as Alice. */
function submitAssign(privateMetadata: string, viewId: string) {
  const ids = QUEUE_VIEWS.assign;
  return app.slack.viewSubmission({
    user: { id: "UALICE" },
    view: {
      id: viewId,
      callback_id: ids.callbackId,
      private_metadata: privateMetadata,
      state: {
        values: {
          [ids.assigneeBlock]: {
            [ids.assigneeAction]: { type: "users_select", selected_user: "UBOB" },
          },
          [ids.noteBlock]: {
            [ids.noteAction]: { type: "plain_text_input", value: "for the on-call" },
          },
          [ids.dueBlock]: { [ids.dueAction]: { type: "datepicker", selected_date: null } },
        },
      },
    },
  });
}

describe("Save for later", () => {
  it("saves the message's links, as the reaction does", async () => {
    await app.ask(`subscribe ${server.url("hatena-hotentry-it.rdf")}`);
    const message = bobsMessage("Two for the retro", [AZ1, server.url("/runbook")]);
    const { text } = await shortcutReply(MESSAGE_SHORTCUTS.saveForLater, message);
    expect(text).toContain("Saved 2 to your read-later queue");
    const queue = (await app.ask("later")).text;
    expect(queue).toContain(AZ1_TITLE);
    expect(queue).toContain("DB failover runbook");
  });

  it("says so on a message without a link", async () => {
    const message = bobsMessage("Standup moved to 10:30", []);
    const { text } = await shortcutReply(MESSAGE_SHORTCUTS.saveForLater, message);
    expect(text).toContain("This message has no link to save.");
    expect(await app.db.selectFrom("read_later").selectAll().execute()).toEqual([]);
  });

  it("asks which article of a digest message, and its Read later button saves that one", async () => {
    await app.ask(`subscribe ${server.url("hatena-hotentry-it.rdf")}`);
    clock.advance(60_000);
    await app.ask("digest now");
    const [digest] = digestPosts(app.fakeSlack.postedMessages("C_OPS"));
    if (!digest) throw new Error("no digest");
    const { text, body } = await shortcutReply(MESSAGE_SHORTCUTS.saveForLater, {
      user: "UBOT",
      bot_id: "BBOT",
      ts: digest.ts,
      text: digest.text,
      blocks: digest.blocks,
    });
    expect(text).toContain("This digest message carries 8 articles.");
    const buttons = (body.blocks as Array<{ accessory?: { action_id: string; value: string } }>)
      .map((block) => block.accessory)
      .filter((button) => button?.action_id === ARTICLE_ACTIONS.readLater);
    expect(buttons).toHaveLength(8);
    const clicked = await app.slack.blockActions({
      user: { id: "UALICE" },
      actions: [
        {
          type: "button",
          action_id: ARTICLE_ACTIONS.readLater,
          block_id: "pick",
          value: buttons[0]?.value,
          action_ts: "1790000000.000001",
        },
      ],
    });
    const answer = await app.fakeSlack.waitForResponse(clicked.responseUrlId as string);
    expect(textOf(answer.body)).toContain("Saved");
    expect((await app.ask("later")).text).toContain("Your read-later queue (1)");
  });
});

describe("Assign to a teammate", () => {
  it("opens the assign modal for a known article, which assigns it", async () => {
    await app.ask(`subscribe ${server.url("hatena-hotentry-it.rdf")}`);
    const before = app.fakeSlack.lastSeq();
    const message = bobsMessage("Alice, this one is for you", [AZ1, server.url("/runbook")]);
    const sent = await app.slack.messageAction(MESSAGE_SHORTCUTS.assignToTeammate, message);
    const opened = await app.fakeSlack.waitForCall("views.open", (call) => call.seq > before);
    expect(opened.args.trigger_id).toBe(sent.triggerId);
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(QUEUE_VIEWS.assign.callbackId);
    expect(textOf(view)).toContain(AZ1_TITLE);
    // Nothing is fetched for an article opsfeed knows.
    expect(server.requests.filter((request) => request.path === "/runbook")).toEqual([]);

    const submitted = await submitAssign(view.private_metadata, "V_ASSIGN_KNOWN");
    expect(submitted.status).toBe(200);
    const dm = await app.fakeSlack.waitForCall(
      "chat.postMessage",
      (call) => call.args.channel === "DUBOB",
    );
    expect(textOf(dm.args)).toContain(AZ1_TITLE);
    expect(textOf(dm.args)).toContain("for the on-call");
  });

  it("opens a modal at once for a new link, then shows the assign modal with the page's title", async () => {
    const before = app.fakeSlack.lastSeq();
    const message = bobsMessage("Please look", [server.url("/runbook")]);
    await app.slack.messageAction(MESSAGE_SHORTCUTS.assignToTeammate, message);
    const loading = await app.fakeSlack.waitForCall("views.open", (call) => call.seq > before);
    expect(textOf(loading.args.view)).toContain("Reading the page at");
    const updated = await app.fakeSlack.waitForCall(
      "views.update",
      (call) => call.seq > loading.seq,
    );
    const view = updated.args.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(QUEUE_VIEWS.assign.callbackId);
    expect(textOf(view)).toContain("DB failover runbook");
    await submitAssign(view.private_metadata, "V_ASSIGN_NEW");
    const dm = await app.fakeSlack.waitForCall(
      "chat.postMessage",
      (call) => call.args.channel === "DUBOB",
    );
    expect(textOf(dm.args)).toContain("DB failover runbook");
  });

  it("assigns a new link from a DM between two people, which opsfeed cannot see", async () => {
    app.fakeSlack.addChannel({ id: "D_AB", name: "dm", isPrivate: true, botIsMember: false });
    const stored = app.fakeSlack.postUserMessage("D_AB", {
      user: "UBOB",
      ...typedMessage("Can you take this?", [server.url("/runbook")]),
    });
    const before = app.fakeSlack.lastSeq();
    await app.slack.messageAction(
      MESSAGE_SHORTCUTS.assignToTeammate,
      { user: "UBOB", ts: stored.ts, text: stored.text, blocks: stored.blocks },
      { channel: { id: "D_AB", name: "directmessage" } },
    );
    const updated = await app.fakeSlack.waitForCall("views.update", (call) => call.seq > before);
    const view = updated.args.view as { private_metadata: string };
    const submitted = await submitAssign(view.private_metadata, "V_ASSIGN_DM");
    // Accepted: no field errors, although no channel opsfeed sees has shown the article.
    expect(submitted.json).toBeNull();
    const dm = await app.fakeSlack.waitForCall(
      "chat.postMessage",
      (call) => call.args.channel === "DUBOB",
    );
    expect(textOf(dm.args)).toContain("DB failover runbook");
  });

  it("says in the modal why a page it could not read has no title", async () => {
    const before = app.fakeSlack.lastSeq();
    await app.slack.messageAction(
      MESSAGE_SHORTCUTS.assignToTeammate,
      bobsMessage("Dead link?", [server.url("/gone")]),
    );
    const updated = await app.fakeSlack.waitForCall("views.update", (call) => call.seq > before);
    expect(textOf(updated.args.view)).toContain("the server answered HTTP 404");
    expect((updated.args.view as { callback_id: string }).callback_id).toBe(
      QUEUE_VIEWS.assign.callbackId,
    );
  });

  it("says so on a message without a link, and opens no modal", async () => {
    const { text } = await shortcutReply(
      MESSAGE_SHORTCUTS.assignToTeammate,
      bobsMessage("Standup moved to 10:30", []),
    );
    expect(text).toContain("This message has no link to assign.");
    expect(app.fakeSlack.callsTo("views.open")).toEqual([]);
  });
});

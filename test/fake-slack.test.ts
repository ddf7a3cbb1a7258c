import type { AddressInfo } from "node:net";
import { App, LogLevel } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack.js";
import { createSlackRequester, slackSignature, textOf } from "./support/signed-requests.js";

const BOT_TOKEN = "xoxb-test-token";
const SIGNING_SECRET = "test-signing-secret";

let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  fake = await startFakeSlack({ botToken: BOT_TOKEN });
  // Few, short retries: the 429 test must finish in about Retry-After seconds.
  client = new WebClient(BOT_TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 50 },
    logLevel: LogLevel.ERROR,
  });
});

afterEach(async () => {
  await fake.close();
});

describe("fake Slack Web API", () => {
  it("stores posted blocks and metadata, and shows metadata in history only when asked", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*New item*" } }];
    const metadata = { event_type: "opsfeed_item", event_payload: { itemId: 42 } };

    const posted = await client.chat.postMessage({
      channel: "C_OPS",
      text: "New item",
      blocks,
      metadata,
    });

    expect(posted.channel).toBe("C_OPS");
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message?.blocks).toEqual(blocks);
    const call = await fake.waitForCall("chat.postMessage");
    expect(call.token).toBe(BOT_TOKEN);
    expect(call.args).toMatchObject({ channel: "C_OPS", text: "New item", blocks, metadata });
    expect(fake.postedMessages("C_OPS")).toMatchObject([{ ts: posted.ts, blocks, metadata }]);

    const plain = await client.conversations.history({ channel: "C_OPS" });
    expect(plain.messages).toHaveLength(1);
    expect(plain.messages?.[0]?.ts).toBe(posted.ts);
    expect(plain.messages?.[0]).not.toHaveProperty("metadata");

    const withMetadata = await client.conversations.history({
      channel: "C_OPS",
      include_all_metadata: true,
    });
    expect(withMetadata.messages?.[0]?.metadata).toEqual(metadata);
  });

  it("lists history newest first and honours limit and oldest", async () => {
    const first = await client.chat.postMessage({ channel: "C_OPS", text: "one" });
    const second = await client.chat.postMessage({ channel: "C_OPS", text: "two" });
    const third = await client.chat.postMessage({ channel: "C_OPS", text: "three" });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));

    const latestTwo = await client.conversations.history({ channel: "C_OPS", limit: 2 });
    expect(latestTwo.messages?.map((m) => m.text)).toEqual(["three", "two"]);
    expect(latestTwo.has_more).toBe(true);

    const afterFirst = await client.conversations.history({ channel: "C_OPS", oldest: first.ts });
    expect(afterFirst.messages?.map((m) => m.ts)).toEqual([third.ts, second.ts]);
  });

  it("holds people's messages and returns one as Slack does, in a thread or not", async () => {
    const parent = fake.postUserMessage("C_OPS", {
      user: "UBOB",
      text: "thread <https://a.example/>",
    });
    const reply = fake.postUserMessage("C_OPS", {
      user: "UALICE",
      text: "reply",
      threadTs: parent.ts,
    });
    const one = { latest: parent.ts, oldest: parent.ts, inclusive: true };

    const top = await client.conversations.history({ channel: "C_OPS", ...one, limit: 1 });
    expect(top.messages).toHaveLength(1);
    // A person's message has no bot_id; a thread parent shows its replies.
    expect(top.messages?.[0]).toMatchObject({
      user: "UBOB",
      text: "thread <https://a.example/>",
      reply_count: 1,
    });
    expect(top.messages?.[0]).not.toHaveProperty("bot_id");

    // A reply is not in the channel's history, only in the thread.
    const atReply = { latest: reply.ts, oldest: reply.ts, inclusive: true };
    expect((await client.conversations.history({ channel: "C_OPS", ...atReply })).messages).toEqual(
      [],
    );
    const thread = await client.conversations.replies({
      channel: "C_OPS",
      ts: reply.ts,
      ...atReply,
    });
    // The parent always comes first, then the replies in the window.
    expect(thread.messages?.map((m) => [m.ts, m.thread_ts, m.user])).toEqual([
      [parent.ts, parent.ts, "UBOB"],
      [reply.ts, parent.ts, "UALICE"],
    ]);
    expect(thread.messages?.[1]).toMatchObject({ parent_user_id: "UBOB" });
  });

  it("updates and deletes stored messages", async () => {
    const posted = await client.chat.postMessage({ channel: "C_OPS", text: "draft" });
    await client.chat.update({ channel: "C_OPS", ts: posted.ts as string, text: "final" });
    expect(fake.postedMessages("C_OPS")[0]?.text).toBe("final");

    await client.chat.delete({ channel: "C_OPS", ts: posted.ts as string });
    expect(fake.postedMessages("C_OPS")).toEqual([]);
  });

  it("answers users.info with a locale only when include_locale is set", async () => {
    fake.addUser({
      id: "UBOB",
      name: "bob",
      realName: "Bob B",
      locale: "fr-FR",
      tz: "Europe/Paris",
    });

    const without = await client.users.info({ user: "UBOB" });
    expect(without.user).toMatchObject({ id: "UBOB", name: "bob", is_bot: false, deleted: false });
    expect(without.user?.profile?.display_name).toBe("bob");
    expect(without.user).not.toHaveProperty("locale");

    const withLocale = await client.users.info({ user: "UBOB", include_locale: true });
    expect(withLocale.user?.locale).toBe("fr-FR");

    await expect(client.users.info({ user: "UNOBODY" })).rejects.toMatchObject({
      data: { ok: false, error: "user_not_found" },
    });
  });

  it("turns failNext into a Slack error and records the failed call", async () => {
    fake.failNext("chat.postMessage", { error: "channel_not_found" });

    await expect(client.chat.postMessage({ channel: "C_GONE", text: "hi" })).rejects.toMatchObject({
      data: { error: "channel_not_found" },
    });
    expect(fake.callsTo("chat.postMessage")).toMatchObject([
      { outcome: { ok: false, error: "channel_not_found" } },
    ]);

    // The failure was used up: the next call lands.
    await client.chat.postMessage({ channel: "C_OPS", text: "hi" });
    expect(fake.postedMessages("C_OPS")).toHaveLength(1);
  });

  it("answers a 429 with Retry-After, which WebClient waits out and retries once", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 1 });

    const started = Date.now();
    await client.chat.postMessage({ channel: "C_OPS", text: "eventually" });

    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
    expect(fake.callsTo("chat.postMessage")[0]?.outcome).toMatchObject({ status: 429 });
    expect(fake.postedMessages("C_OPS")).toHaveLength(1);
  });

  it("refuses what real Slack refuses: bad tokens, unknown methods, oversized blocks", async () => {
    const stranger = new WebClient("xoxb-wrong", {
      slackApiUrl: fake.apiUrl,
      logLevel: LogLevel.ERROR,
    });
    await expect(stranger.auth.test()).rejects.toMatchObject({ data: { error: "invalid_auth" } });

    await expect(client.apiCall("pins.add", { channel: "C_OPS" })).rejects.toMatchObject({
      data: { error: "unknown_method" },
    });

    const tooLong = [{ type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } }];
    await expect(
      client.chat.postMessage({ channel: "C_OPS", text: "long", blocks: tooLong }),
    ).rejects.toMatchObject({ data: { error: "invalid_blocks" } });

    fake.setAuthValid(false);
    await expect(client.auth.test()).rejects.toMatchObject({ data: { error: "invalid_auth" } });
  });

  it("opens DMs and modals, and times out waits with the calls it did see", async () => {
    const dm = await client.conversations.open({ users: "UALICE" });
    expect(dm.channel?.id).toBe("DUALICE");

    const opened = await client.views.open({
      trigger_id: "1.2.abc",
      view: {
        type: "modal",
        title: { type: "plain_text", text: "Add feed" },
        blocks: [{ type: "section", text: { type: "plain_text", text: "Hello" } }],
      },
    });
    expect(opened.view?.id).toMatch(/^V/);
    expect(fake.callsTo("views.open")[0]?.args.view).toMatchObject({ type: "modal" });

    await expect(fake.waitForCall("chat.postMessage", undefined, 50)).rejects.toThrow(
      /chat\.postMessage.*conversations\.open, views\.open/,
    );
  });

  it("reset forgets calls but keeps history", async () => {
    await client.chat.postMessage({ channel: "C_OPS", text: "kept" });
    fake.reset();
    expect(fake.calls).toEqual([]);
    expect(fake.postedMessages("C_OPS")).toHaveLength(1);
  });
});

describe("slackSignature", () => {
  it("matches Slack's documented example", () => {
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(slackSignature("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body)).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
  });
});

describe("textOf", () => {
  it("reads what a user sees in blocks, and a message's text only without blocks", () => {
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "Digest" } },
      {
        type: "section",
        text: { type: "mrkdwn", text: "*Item*" },
        fields: [{ type: "mrkdwn", text: "Feed: ops" }],
        accessory: {
          type: "button",
          text: { type: "plain_text", text: "Read later" },
          action_id: "a",
        },
      },
      { type: "context", elements: [{ type: "mrkdwn", text: "2 unread" }] },
      {
        type: "actions",
        elements: [{ type: "button", text: { type: "plain_text", text: "Done" } }],
      },
    ];
    expect(textOf(blocks)).toBe("Digest\n*Item*\nFeed: ops\nRead later\n2 unread\nDone");
    expect(textOf({ text: "fallback", blocks })).not.toContain("fallback");
    expect(textOf({ text: "only text" })).toBe("only text");
  });
});

describe("a Bolt app driven through the requester", () => {
  let app: App | undefined;

  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  async function startApp(register: (app: App) => void): Promise<string> {
    const bolt = new App({
      token: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
      logLevel: LogLevel.ERROR,
    });
    register(bolt);
    // Port 0 on loopback: the OS picks a free port, read back from the server Bolt returns.
    const server = await bolt.start({ port: 0, host: "127.0.0.1" });
    // Only a started app can be stopped: stop() rejects otherwise.
    app = bolt;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("delivers a signed slash command and finds the respond() reply", async () => {
    const appUrl = await startApp((bolt) => {
      bolt.command("/opsfeed", async ({ command, ack, respond }) => {
        await ack();
        await respond({ text: `You said: ${command.text} in ${command.channel_name}` });
      });
    });
    // Bolt verifies the token with auth.test when the App is built.
    await fake.waitForCall("auth.test");
    const slack = createSlackRequester({ appUrl, signingSecret: SIGNING_SECRET, fakeSlack: fake });

    const sent = await slack.command("list");

    expect(sent.answer.status).toBe(200);
    const reply = await slack.replyTo(sent);
    expect(reply.via).toBe("response_url");
    expect(reply.text).toBe("You said: list in ops");
  });

  it("finds replies sent in the ack and by chat.postEphemeral", async () => {
    const appUrl = await startApp((bolt) => {
      bolt.command("/opsfeed", async ({ command, ack, client: web }) => {
        if (command.text === "help") {
          await ack({ blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Help*" } }] });
          return;
        }
        await ack();
        await web.chat.postEphemeral({
          channel: command.channel_id,
          user: command.user_id,
          text: "Only you can see this",
        });
      });
    });
    const slack = createSlackRequester({ appUrl, signingSecret: SIGNING_SECRET, fakeSlack: fake });

    const help = await slack.replyTo(await slack.command("help"));
    expect(help).toMatchObject({ via: "ack", text: "*Help*" });

    const sent = await slack.command("quiet", { userId: "UBOB", channelId: "C_DEV" });
    const ephemeral = await slack.replyTo(sent);
    expect(ephemeral).toMatchObject({ via: "ephemeral", text: "Only you can see this" });
    expect(ephemeral.raw).toMatchObject({ user: "UBOB", channel: "C_DEV" });
  });

  it("delivers block actions, view submissions, events and retry headers", async () => {
    const retryNums: Array<number | undefined> = [];
    const appUrl = await startApp((bolt) => {
      bolt.command("/opsfeed", async ({ ack, context }) => {
        retryNums.push(context.retryNum);
        await ack();
      });
      bolt.action("mark_done", async ({ ack, respond, action }) => {
        await ack();
        await respond({
          replace_original: true,
          text: `Done: ${(action as { value?: string }).value}`,
        });
      });
      bolt.view("add_feed", async ({ ack }) => {
        await ack({ response_action: "errors", errors: { url: "Not a feed" } });
      });
      bolt.event("app_mention", async ({ event, say }) => {
        await say(`Hello <@${event.user}>`);
      });
    });
    const slack = createSlackRequester({ appUrl, signingSecret: SIGNING_SECRET, fakeSlack: fake });

    await slack.command("list", { retryNum: 1 });
    expect(retryNums).toEqual([1]);

    const clicked = await slack.blockActions({
      actions: [{ type: "button", action_id: "mark_done", block_id: "item", value: "42" }],
    });
    expect(clicked.status).toBe(200);
    const response = await fake.waitForResponse(clicked.responseUrlId as string);
    expect(response.body).toEqual({ replace_original: true, text: "Done: 42" });

    const submitted = await slack.viewSubmission({ view: { callback_id: "add_feed" } });
    expect(submitted.json).toEqual({ response_action: "errors", errors: { url: "Not a feed" } });

    const mentioned = await slack.event({
      type: "app_mention",
      user: "UALICE",
      text: "<@UBOT> hi",
      channel: "C_OPS",
    });
    expect(mentioned.status).toBe(200);
    await fake.waitForCall("chat.postMessage");
    expect(fake.postedMessages("C_OPS")).toMatchObject([{ text: "Hello <@UALICE>" }]);
  });

  it("answers 401 to unsigned, forged and stale requests", async () => {
    let handled = 0;
    const appUrl = await startApp((bolt) => {
      bolt.command("/opsfeed", async ({ ack }) => {
        handled += 1;
        await ack();
      });
    });
    const slack = createSlackRequester({ appUrl, signingSecret: SIGNING_SECRET, fakeSlack: fake });
    const body = "command=%2Fopsfeed&text=list&user_id=UALICE&channel_id=C_OPS";
    const form = { "content-type": "application/x-www-form-urlencoded" };

    expect((await slack.raw(body, form)).status).toBe(401);

    const forged = {
      ...slack.signedHeaders(body),
      "x-slack-signature": slackSignature("wrong", 1, body),
    };
    expect((await slack.raw(body, forged)).status).toBe(401);

    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await slack.raw(body, slack.signedHeaders(body, sixMinutesAgo))).status).toBe(401);

    expect(handled).toBe(0);
    expect((await slack.raw(body, slack.signedHeaders(body))).status).toBe(200);
    expect(handled).toBe(1);
  });
});

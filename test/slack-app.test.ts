import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SUBCOMMANDS } from "../src/commands/parse-command.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

let app: TestApp;

beforeEach(async () => {
  app = await startTestApp();
  app.fakeSlack.addUser({ id: "UALICE", name: "alice", locale: "en-US" });
  app.fakeSlack.addUser({ id: "UKENJI", name: "kenji", locale: "ja-JP" });
});

afterEach(async () => {
  await app.stop();
});

describe("GET /healthz", () => {
  it("answers 200 with a small JSON body when the database answers", async () => {
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toEqual({ status: "ok", version: expect.any(String) });
  });

  it("answers 503 when the database does not", async () => {
    await app.db.destroy();
    const response = await fetch(`${app.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable" });
  });
});

describe("start-up", () => {
  it("checks the token with Slack once", () => {
    expect(app.fakeSlack.callsTo("auth.test")).toHaveLength(1);
  });
});

describe("request signatures", () => {
  const body = new URLSearchParams({
    command: "/opsfeed",
    text: "help",
    user_id: "UALICE",
    channel_id: "C_OPS",
    team_id: "T1",
    response_url: "http://127.0.0.1:1/never",
    trigger_id: "1.2.3",
  }).toString();
  const form = { "content-type": "application/x-www-form-urlencoded" };

  async function expectRefused(headers: Record<string, string>) {
    const before = app.fakeSlack.lastSeq();
    const answer = await app.slack.raw(body, { ...form, ...headers });
    expect(answer.status).toBe(401);
    // Give a wrongly accepted request time to reach Slack, then check nothing did.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.fakeSlack.lastSeq()).toBe(before);
  }

  it("refuses an unsigned request with 401 and does nothing", async () => {
    await expectRefused({});
  });

  it("refuses a forged signature with 401 and does nothing", async () => {
    const headers = app.slack.signedHeaders(body);
    await expectRefused({
      ...headers,
      "x-slack-signature": `v0=${"0".repeat(64)}`,
    });
  });

  it("refuses a body altered after signing with 401", async () => {
    const headers = app.slack.signedHeaders(body.replace("help", "list"));
    await expectRefused(headers);
  });

  it("refuses a correctly signed but stale (over 5 minutes) request with 401", async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    await expectRefused(app.slack.signedHeaders(body, sixMinutesAgo));
  });

  it("accepts the same request correctly signed", async () => {
    const answer = await app.slack.raw(body, app.slack.signedHeaders(body));
    expect(answer.status).toBe(200);
  });
});

describe("/opsfeed help", () => {
  it("lists the usage of every subcommand, only to the user who asked", async () => {
    const reply = await app.ask("help");
    for (const subcommand of SUBCOMMANDS) {
      expect(reply.text).toContain(`/opsfeed ${subcommand}`);
    }
    expect(reply.raw.response_type).toBe("ephemeral");
    expect(reply.raw.text).toEqual(expect.any(String));
  });

  it("answers a bare /opsfeed with the same help", async () => {
    const bare = await app.ask("");
    const help = await app.ask("help");
    expect(bare.text).toBe(help.text);
  });

  it("answers in Japanese to a user whose Slack locale is Japanese", async () => {
    const reply = await app.ask("help", { userId: "UKENJI" });
    expect(reply.text).toContain("/opsfeed subscribe");
    expect(reply.text).toContain("このチャンネルでフィード");
  });

  it("asks Slack for a user's locale once and remembers it", async () => {
    await app.ask("help", { userId: "UKENJI" });
    await app.ask("help", { userId: "UKENJI" });
    const lookups = app.fakeSlack
      .callsTo("users.info")
      .filter((call) => call.args.user === "UKENJI");
    expect(lookups).toHaveLength(1);
    expect(lookups[0]?.args.include_locale).toBe("true");
  });

  it("falls back to OPSFEED_LOCALE when Slack does not know the user", async () => {
    const japanese = await startTestApp({ env: { OPSFEED_LOCALE: "ja" } });
    try {
      const reply = await japanese.ask("help", { userId: "UUNKNOWN" });
      expect(reply.text).toContain("使い方");
    } finally {
      await japanese.stop();
    }
  });
});

describe("mistakes", () => {
  it("says an unknown subcommand is unknown and shows the usage", async () => {
    const reply = await app.ask("frobnicate now");
    expect(reply.text).toContain("`frobnicate` is not an `/opsfeed` subcommand");
    expect(reply.text).toContain("/opsfeed subscribe");
    expect(reply.raw.response_type).toBe("ephemeral");
  });

  it("says what is wrong with a malformed subcommand and shows its usage", async () => {
    const reply = await app.ask("digest at 25:00");
    expect(reply.text).toContain("`25:00` is not a time");
    expect(reply.text).toContain("/opsfeed digest at HH:MM");
  });

  it("explains mistakes in Japanese too", async () => {
    const reply = await app.ask("assign @bob 4", { userId: "UKENJI" });
    expect(reply.text).toContain("`@bob`");
    expect(reply.text).toContain("使い方");
  });

  it("cannot be made to mention @channel by echoing what was typed", async () => {
    const reply = await app.ask("<!channel> hello");
    expect(JSON.stringify(reply.raw)).not.toContain("<!channel>");
  });
});

describe("stop", () => {
  it("stops serving, closes the database, and a restart serves the same data", async () => {
    const other = await startTestApp();
    const { url, db } = other;
    await other.stop();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    await expect(db.selectFrom("feeds").selectAll().execute()).rejects.toThrow();
  });
});

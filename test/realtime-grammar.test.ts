import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCommand } from "../src/commands/parse-command.js";
import { type FeedServer, startFeedServer } from "./support/feed-server.js";
import { startTestApp, type TestApp } from "./support/test-app.js";

describe("subscribe … realtime mention:…", () => {
  const url = "https://status.example/history.rss";

  it("reads realtime and a user or user-group mention as Slack escapes them", () => {
    expect(parseCommand(`subscribe ${url} realtime mention:<@U123ABC|alice>`)).toMatchObject({
      ok: true,
      command: { name: "subscribe", feedUrl: url, realtime: true, mention: "<@U123ABC>" },
    });
    expect(
      parseCommand(`subscribe ${url} mention:<!subteam^S0OPS|@ops-oncall> include:api REALTIME`),
    ).toMatchObject({
      ok: true,
      command: { realtime: true, mention: "<!subteam^S0OPS>", include: ["api"] },
    });
    expect(parseCommand(`subscribe ${url}`)).toMatchObject({
      ok: true,
      command: { realtime: false, mention: null },
    });
  });

  it("refuses a mention without realtime, and one that is not a Slack mention, in words", () => {
    expect(parseCommand(`subscribe ${url} mention:<@U123>`)).toMatchObject({
      ok: false,
      error: { code: "mention-needs-realtime", detail: "mention:<@U123>" },
    });
    for (const bad of ["mention:@alice", "mention:<!channel>", "mention:<!here>", "mention:"]) {
      expect(parseCommand(`subscribe ${url} realtime ${bad}`), bad).toMatchObject({
        ok: false,
        error: { code: "invalid-mention", detail: bad },
      });
    }
    expect(parseCommand(`subscribe ${url} realtime realtime`)).toMatchObject({
      ok: false,
      error: { code: "invalid-option" },
    });
  });
});

describe("subscribing in realtime", () => {
  let app: TestApp;
  let feeds: FeedServer;

  beforeEach(async () => {
    feeds = await startFeedServer();
    app = await startTestApp();
  });

  afterEach(async () => {
    await app.stop();
    await feeds.close();
  });

  it("says how it delivers, switches modes and mention on a second subscribe, and list shows them", async () => {
    const feed = feeds.url("status-incidents.rss");
    const created = await app.ask(`subscribe ${feed} realtime mention:<@UONCALL|oncall>`);
    expect(created.text).toContain("Subscribed this channel");
    expect(created.text).toContain("posted here as its own message as soon as a poll finds it");
    expect(created.text).toContain("every 2 min");
    expect(created.text).toContain("Each realtime post mentions <@UONCALL>.");
    expect((await app.ask("list")).text).toContain("realtime, mentions <@UONCALL>");

    const group = await app.ask(`subscribe ${feed} realtime mention:<!subteam^S0OPS|@ops>`);
    expect(group.text).toContain("already follows");
    expect(group.text).not.toContain("Switched");
    expect(group.text).toContain("Each realtime post mentions <!subteam^S0OPS>.");

    const plain = await app.ask(`subscribe ${feed} realtime`);
    expect(plain.text).toContain("Realtime posts no longer mention anyone.");
    expect((await app.ask("list")).text).toMatch(/realtime · no filters/);

    const back = await app.ask(`subscribe ${feed}`);
    expect(back.text).toContain("Switched this subscription back to the digest");
    expect((await app.ask("list")).text).toContain("in the digest · no filters");
    const row = await app.db.selectFrom("subscriptions").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mode: "digest", mention: null });
    expect(row.digest_since).not.toBeNull();

    const again = await app.ask(`subscribe ${feed} realtime`);
    expect(again.text).toContain("Switched this subscription to realtime posts.");
    expect(await app.db.selectFrom("subscriptions").selectAll().execute()).toHaveLength(1);
  });

  it("refuses a mention without realtime with the usage, and subscribes nothing", async () => {
    const reply = await app.ask(`subscribe ${feeds.url("status-incidents.rss")} mention:<@U1>`);
    expect(reply.text).toContain("only works with `realtime`");
    expect(reply.text).toContain("Usage:");
    expect(await app.db.selectFrom("subscriptions").selectAll().execute()).toHaveLength(0);
  });
});

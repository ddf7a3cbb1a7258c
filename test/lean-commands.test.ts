import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseCommand } from "../src/commands/parse-command.js";
import { describeParseError, usageText } from "../src/commands/usage.js";
import { insertReadLater } from "../src/store/reading.js";
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

/** The first line of a text: enough to tell which language and which message it is. */
const firstLine = (text: string) => text.split("\n")[0] as string;

/** Saves articles straight into a user's queue: `titles[0]` saved first (oldest). */
async function saveArticles(userId: string, titles: string[]): Promise<void> {
  const feedIds: number[] = [];
  for (const title of ["Ops Weekly", "Second Source"]) {
    const feed = await app.db
      .insertInto("feeds")
      .values({ url: `https://feeds.example/${title}.xml`, title, created_at: "2026-11-01" })
      .returning("id")
      .executeTakeFirstOrThrow();
    feedIds.push(feed.id);
  }
  for (const [i, title] of titles.entries()) {
    const url = `https://articles.example/lean-${i}`;
    const at = `2026-11-2${i}T09:00:00.000Z`;
    const article = await app.db
      .insertInto("articles")
      .values({ canonical_url: url, url, title, first_seen_at: at, updated_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    // Carried by both feeds, the second one first: the queue names the first feed.
    for (const feedId of [...feedIds].reverse()) {
      await app.db
        .insertInto("feed_articles")
        .values({ feed_id: feedId, article_id: article.id, first_seen_at: at })
        .execute();
    }
    await insertReadLater(app.db, { userId, articleId: article.id, channelId: "C_OPS" }, at);
  }
}

describe("the lean slash command path", () => {
  it.each([
    ["UALICE", "en"],
    ["UKENJI", "ja"],
  ] as const)(
    "answers help in the ack itself, in %s's language, once it is known",
    async (userId, locale) => {
      // The first command looks the language up in Slack, so it is answered afterwards.
      const first = await app.ask("help", { userId });
      expect(first.via).toBe("response_url");
      expect(first.text).toContain(firstLine(usageText(locale)));

      const reply = await app.ask("help", { userId });
      expect(reply.via).toBe("ack");
      expect(reply.raw.response_type).toBe("ephemeral");
      expect(reply.text).toContain(firstLine(usageText(locale)));
      expect(reply.text).toContain("`/opsfeed subscribe");
      expect(app.fakeSlack.callsTo("users.info")).toHaveLength(1);
    },
  );

  it("answers a mistake in the ack, saying what is wrong in the user's language", async () => {
    await app.ask("help", { userId: "UKENJI" });
    const parsed = parseCommand("frobnicate");
    if (parsed.ok) throw new Error("expected frobnicate to be refused");

    const reply = await app.ask("frobnicate", { userId: "UKENJI" });
    expect(reply.via).toBe("ack");
    expect(reply.text).toContain(firstLine(describeParseError("ja", parsed.error)));
    expect(reply.text).not.toBe(firstLine(describeParseError("en", parsed.error)));
  });

  it("still answers `later` through response_url, with the queue newest first and each article's first feed", async () => {
    await saveArticles("UALICE", ["Failover drill notes", "Postmortem: the DNS outage"]);
    await app.ask("help", { userId: "UALICE" });

    const reply = await app.ask("later", { userId: "UALICE" });
    expect(reply.via).toBe("response_url");
    expect(reply.raw.response_type).toBe("ephemeral");
    expect(reply.raw.replace_original).toBe(false);
    const newest = reply.text.indexOf("Postmortem: the DNS outage");
    const oldest = reply.text.indexOf("Failover drill notes");
    expect(newest).toBeGreaterThanOrEqual(0);
    expect(oldest).toBeGreaterThan(newest);
    expect(reply.text).toContain("Ops Weekly");
    expect(reply.text).not.toContain("Second Source");
  });

  it("shows nobody else's queue", async () => {
    await saveArticles("UALICE", ["Failover drill notes"]);
    const reply = await app.ask("later", { userId: "UKENJI" });
    expect(reply.via).toBe("response_url");
    expect(reply.text).not.toContain("Failover drill notes");
  });
});

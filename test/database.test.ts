import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { type Db, migrateToLatest, openDatabase } from "../src/store/database.js";

const NOW = "2026-11-25T09:00:00.000Z";
const opened: Db[] = [];

async function freshDatabase(path = ":memory:"): Promise<Db> {
  const db = openDatabase(path);
  opened.push(db);
  await migrateToLatest(db);
  return db;
}

async function insertArticle(db: Db, canonicalUrl: string, title: string) {
  await db
    .insertInto("articles")
    .values({
      canonical_url: canonicalUrl,
      url: canonicalUrl,
      title,
      first_seen_at: NOW,
      updated_at: NOW,
    })
    .onConflict((oc) => oc.column("canonical_url").doUpdateSet({ title, updated_at: NOW }))
    .execute();
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
});

describe("database", () => {
  it("creates the folder of a file database, uses WAL and enforces foreign keys", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsfeed-db-"));
    const path = join(dir, "nested", "opsfeed.sqlite");
    const db = await freshDatabase(path);
    expect(existsSync(path)).toBe(true);
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(journal.rows[0]?.journal_mode).toBe("wal");
    await expect(
      db
        .insertInto("subscriptions")
        .values({
          channel_id: "C1",
          feed_id: 999,
          include_words: "[]",
          exclude_words: "[]",
          created_by: "U1",
          created_at: NOW,
          updated_at: NOW,
        })
        .execute(),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it("migrates once: a second run applies nothing and keeps the data", async () => {
    const db = await freshDatabase();
    await insertArticle(db, "https://example.com/a", "A");
    const again = await migrateToLatest(db);
    expect(again.results).toEqual([]);
    const rows = await db.selectFrom("articles").select("title").execute();
    expect(rows).toEqual([{ title: "A" }]);
  });

  it("keeps one article per canonical URL; a second write updates it", async () => {
    const db = await freshDatabase();
    await insertArticle(db, "https://example.com/a", "Old title");
    await insertArticle(db, "https://example.com/a", "New title");
    const rows = await db.selectFrom("articles").select(["id", "title"]).execute();
    expect(rows).toEqual([{ id: 1, title: "New title" }]);
  });

  it("allows one unfinished digest per channel, any number of finished ones", async () => {
    const db = await freshDatabase();
    const claim = (status: string) =>
      db
        .insertInto("digests")
        .values({
          channel_id: "C1",
          status,
          trigger: "command",
          claimed_at: NOW,
          article_count: 0,
          overflow_count: 0,
        })
        .execute();
    await claim("posted");
    await claim("posted");
    await claim("claimed");
    await expect(claim("claimed")).rejects.toThrow(/UNIQUE/);
  });

  it("shows a channel an article at most once across digests", async () => {
    const db = await freshDatabase();
    await insertArticle(db, "https://example.com/a", "A");
    for (const status of ["posted", "posted"]) {
      await db
        .insertInto("digests")
        .values({
          channel_id: "C1",
          status,
          trigger: "schedule",
          claimed_at: NOW,
          article_count: 1,
          overflow_count: 0,
        })
        .execute();
    }
    const show = (digestId: number) =>
      db
        .insertInto("digest_articles")
        .values({
          digest_id: digestId,
          channel_id: "C1",
          article_id: 1,
          position: 0,
          message_index: 0,
        })
        .execute();
    await show(1);
    await expect(show(2)).rejects.toThrow(/UNIQUE/);
  });

  it("keeps one subscription per channel and feed, and one assignment per article and assignee", async () => {
    const db = await freshDatabase();
    await db
      .insertInto("feeds")
      .values({ url: "https://example.com/feed", title: "Feed", created_at: NOW })
      .execute();
    await insertArticle(db, "https://example.com/a", "A");
    const subscribe = () =>
      db
        .insertInto("subscriptions")
        .values({
          channel_id: "C1",
          feed_id: 1,
          include_words: "[]",
          exclude_words: "[]",
          created_by: "U1",
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
    await subscribe();
    await expect(subscribe()).rejects.toThrow(/UNIQUE/);
    const assign = () =>
      db
        .insertInto("assignments")
        .values({
          article_id: 1,
          assignee_id: "U2",
          assigner_id: "U1",
          status: "open",
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
    await assign();
    await expect(assign()).rejects.toThrow(/UNIQUE/);
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Migrator, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { forDialect } from "../db/migrations/dialect.js";
import { migrations } from "../db/migrations/index.js";
import { type ChannelDirectory, createAccess } from "../src/access/access.js";
import { createSearchService } from "../src/search/search.js";
import { type Db, dialectOf, migrateToLatest, openDatabase } from "../src/store/database.js";
import { indexSearchBacklog, reindexArticles, searchBacklogSize } from "../src/store/search.js";
import { spawnCli } from "./support/process.js";
import { createTestDatabase, type TestDatabase } from "./support/test-database.js";

/*
 * The search index below the Slack layer, on a real database (SQLite, or Postgres in the
 * Postgres run): built by the migration for a database that had articles and comments before
 * search existed, and the same results whichever way a query is answered when many rows match.
 */

const NOW = "2026-11-25T09:00:00.000Z";
const created: TestDatabase[] = [];
const opened: Db[] = [];

afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  for (const database of created.splice(0)) await database.drop();
});

/** Slack's word on channels, for the access model: every channel public. */
const publicChannels: ChannelDirectory = {
  kindOf: async () => "public",
  isMember: async () => true,
};

async function newDatabase(): Promise<Db> {
  const database = await createTestDatabase();
  created.push(database);
  const db = openDatabase(database.url);
  opened.push(db);
  return db;
}

/** One feed, subscribed to by channel C1. */
async function seedFeed(db: Db): Promise<number> {
  const feed = await db
    .insertInto("feeds")
    .values({ url: "https://feeds.example/a.xml", title: "A feed", created_at: NOW })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("subscriptions")
    .values({
      channel_id: "C1",
      feed_id: feed.id,
      include_words: "[]",
      exclude_words: "[]",
      min_bookmarks: null,
      created_by: "U1",
      created_at: NOW,
      updated_at: NOW,
    })
    .execute();
  return feed.id;
}

/** Stores articles of the feed straight into the tables, as an older opsfeed would have. */
async function insertArticles(db: Db, feedId: number, titles: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < titles.length; start += 200) {
    const rows = await db
      .insertInto("articles")
      .values(
        titles.slice(start, start + 200).map((title, index) => {
          const n = start + index;
          const at = new Date(Date.parse("2026-01-01T00:00:00Z") + n * 60_000).toISOString();
          return {
            canonical_url: `https://articles.example/${n}`,
            url: `https://articles.example/${n}`,
            title,
            summary: null,
            author: null,
            published_at: at,
            first_seen_at: at,
            updated_at: at,
            bookmark_count: null,
            bookmark_comments_url: null,
            image_url: null,
          };
        }),
      )
      .returning("id")
      .execute();
    ids.push(...rows.map((row) => row.id));
  }
  await db
    .insertInto("feed_articles")
    .values(ids.map((id) => ({ feed_id: feedId, article_id: id, first_seen_at: NOW })))
    .execute();
  return ids;
}

const searchIn = (db: Db) =>
  createSearchService({ db, access: createAccess({ db, channels: publicChannels }) });

describe("search index", () => {
  it("is built by the migration for a database that had articles and comments", async () => {
    const db = await newDatabase();
    const before = Object.fromEntries(
      Object.entries(migrations).filter(([name]) => name < "0008-search"),
    );
    const postgres = dialectOf(db) === "postgres";
    const schema = postgres
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s
      : undefined;
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => forDialect(before, dialectOf(db)) },
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const { error } = await migrator.migrateToLatest();
    expect(error).toBeUndefined();

    const feedId = await seedFeed(db);
    const [runbook, notes] = await insertArticles(db, feedId, ["障害対応の手順", "Release notes"]);
    await db
      .insertInto("comments")
      .values([
        {
          article_id: notes as number,
          user_id: "U1",
          channel_id: "C1",
          text: "猫 approved",
          created_at: NOW,
          dedupe_key: null,
        },
        {
          article_id: notes as number,
          user_id: "U1",
          channel_id: null,
          text: "ＦＵＬＬ width",
          created_at: NOW,
          dedupe_key: null,
        },
      ])
      .execute();

    await migrateToLatest(db);
    const search = searchIn(db);
    const ids = async (query: string) =>
      (await search.search("U1", "C1", query, 0)).hits.map((hit) => hit.article.id);
    expect(await ids("障害")).toEqual([runbook]);
    expect(await ids("障害対応")).toEqual([runbook]);
    expect(await ids("猫")).toEqual([notes]);
    expect(await ids("full")).toEqual([notes]);
    expect(await ids("release 猫")).toEqual([notes]);
  });

  it.each(["in the backlog", "indexed"])(
    "ranks the same way when every word matches thousands of rows, %s",
    async (state) => {
      const db = await newDatabase();
      await migrateToLatest(db);
      const feedId = await seedFeed(db);
      // 4,500 reports, all with 障害 and weekly, every other one with 猫 too.
      const titles = Array.from({ length: 4500 }, (_, n) =>
        n % 2 === 0 ? `weekly report ${n} 障害と猫` : `weekly report ${n} 障害`,
      );
      const ids = await insertArticles(db, feedId, titles);
      await reindexArticles(db, ids);
      if (state === "indexed") await indexAll(db);
      const search = searchIn(db);

      // Newest first among the equally good: the last even-numbered reports.
      const cats = ids.filter((_, n) => n % 2 === 0).reverse();
      const first = await search.search("U1", "C1", "report 猫", 0);
      expect(first.hits.map((hit) => hit.article.id)).toEqual(cats.slice(0, 10));
      expect(first.hasMore).toBe(true);
      const second = await search.search("U1", "C1", "猫 REPORT", 10);
      expect(second.hits.map((hit) => hit.article.id)).toEqual(cats.slice(10, 20));
      expect(second.hits[0]?.position).toBe(11);

      const all = await search.search("U1", "C1", "障害 weekly", 0);
      expect(all.hits.map((hit) => hit.article.id)).toEqual([...ids].reverse().slice(0, 10));
      // A word no report has, with one they all have: nothing.
      expect((await search.search("U1", "C1", "weekly 犬", 0)).hits).toEqual([]);
    },
  );

  it("indexes the backlog once, and finds the same before, during and after", async () => {
    const db = await newDatabase();
    await migrateToLatest(db);
    const feedId = await seedFeed(db);
    const titles = Array.from({ length: 250 }, (_, n) => `障害 report ${n}`);
    const ids = await insertArticles(db, feedId, titles);
    await reindexArticles(db, ids);
    const search = searchIn(db);
    const newest = async (query: string) =>
      (await search.search("U1", "C1", query, 0)).hits.map((hit) => hit.article.id);
    const expected = [...ids].reverse().slice(0, 10);
    const sqlite = dialectOf(db) === "sqlite";
    // Postgres writes its index with the rows: nothing ever waits.
    expect(await searchBacklogSize(db)).toBe(sqlite ? 250 : 0);
    expect(await newest("障害")).toEqual(expected);
    expect(await newest("report")).toEqual(expected);

    // Partly indexed: the older 100 in the indexes, the rest still read row by row.
    expect(await indexSearchBacklog(db, 100)).toBe(sqlite ? 100 : 0);
    expect(await newest("障害")).toEqual(expected);
    expect(await indexAll(db)).toBe(sqlite ? 150 : 0);
    expect(await searchBacklogSize(db)).toBe(0);
    expect(await newest("障害")).toEqual(expected);
    expect(await newest("report 249")).toEqual([ids[249]]);
    await expectIndexesWhole(db);
  });

  it("keeps the indexes whole when articles go before and after they are indexed", async () => {
    const db = await newDatabase();
    await migrateToLatest(db);
    const feedId = await seedFeed(db);
    const ids = await insertArticles(db, feedId, ["猫 one", "猫 two", "猫 three", "猫 four"]);
    await reindexArticles(db, ids.slice(0, 2));
    await indexAll(db);
    await reindexArticles(db, ids.slice(2));
    // One indexed and one in the backlog are deleted; a title changes after indexing.
    await db
      .deleteFrom("articles")
      .where("id", "in", [ids[0] as number, ids[2] as number])
      .execute();
    await db
      .updateTable("articles")
      .set({ title: "犬 two" })
      .where("id", "=", ids[1] as number)
      .execute();
    await reindexArticles(db, [ids[1] as number]);
    const search = searchIn(db);
    const found = async (query: string) =>
      (await search.search("U1", "C1", query, 0)).hits.map((hit) => hit.article.id).sort();
    expect(await found("猫")).toEqual([ids[3]]);
    expect(await found("犬")).toEqual([ids[1]]);
    await indexAll(db);
    expect(await found("猫")).toEqual([ids[3]]);
    expect(await found("犬 two")).toEqual([ids[1]]);
    await expectIndexesWhole(db);
  });

  it("indexes each document once when two processes index the backlog at the same time", async () => {
    const db = await newDatabase();
    await migrateToLatest(db);
    const feedId = await seedFeed(db);
    const ids = await insertArticles(
      db,
      feedId,
      Array.from({ length: 600 }, (_, n) => `復旧 note ${n}`),
    );
    await reindexArticles(db, ids);
    // Two real processes (`opsfeed index-search`) on the one database at the same moment.
    const url = created.at(-1)?.url as string;
    const dir = mkdtempSync(join(tmpdir(), "opsfeed-index-"));
    const indexers = [0, 1].map(() => spawnCli(["index-search"], { DATABASE_URL: url }, dir));
    const ends = await Promise.all(indexers.map((indexer) => indexer.exited));
    rmSync(dir, { recursive: true, force: true });
    expect(ends.map((end) => end.code)).toEqual([0, 0]);
    const counts = indexers.map((indexer) => Number(/indexed (\d+)/.exec(indexer.stdout())?.[1]));
    expect((counts[0] ?? 0) + (counts[1] ?? 0)).toBe(dialectOf(db) === "sqlite" ? 600 : 0);
    expect(await searchBacklogSize(db)).toBe(0);
    await expectIndexesWhole(db);
    const hits = await searchIn(db).search("U1", "C1", "復旧", 990);
    expect(hits.hits.map((hit) => hit.article.id)).toEqual([...ids].reverse().slice(990, 1000));
  });
});

describe("opsfeed index-search", () => {
  it("says what is wrong with arguments or a database that is not there, and touches nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "opsfeed-index-"));
    try {
      const extra = spawnCli(["index-search", "now"], { DATABASE_URL: join(dir, "x.sqlite") }, dir);
      expect((await extra.exited).code).toBe(2);
      expect(extra.stderr()).toContain("index-search: takes no arguments");
      expect(extra.stderr()).toContain("usage: opsfeed index-search");
      const missing = spawnCli(["index-search"], { DATABASE_URL: join(dir, "none.sqlite") }, dir);
      expect((await missing.exited).code).toBe(1);
      expect(missing.stderr()).toContain("DATABASE_URL: no database at");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Runs the search indexer until nothing waits; how many documents it indexed. */
async function indexAll(db: Db): Promise<number> {
  let indexed = 0;
  for (let batch = 1; batch > 0; indexed += batch) batch = await indexSearchBacklog(db);
  return indexed;
}

/** SQLite: FTS5's own check of both indexes (against the documents, for the trigram one). */
async function expectIndexesWhole(db: Db): Promise<void> {
  if (dialectOf(db) !== "sqlite") return;
  await sql`insert into search_trigrams(search_trigrams, rank) values ('integrity-check', 1)`.execute(
    db,
  );
  await sql`insert into search_grams(search_grams) values ('integrity-check')`.execute(db);
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from search_trigrams_docsize`.execute(db);
  const documents = await db
    .selectFrom("search_documents")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  expect(Number(rows[0]?.n)).toBe(Number(documents.n));
}

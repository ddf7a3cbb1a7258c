import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { listOpenAssignments } from "../src/store/assignments.js";
import {
  backupDatabase,
  type Db,
  isDatabaseHealthy,
  migrateToLatest,
  openDatabase,
} from "../src/store/database.js";
import { listDueFeeds } from "../src/store/feeds.js";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.js";

const NOW = "2026-11-25T09:00:00.000Z";
const opened: Db[] = [];
const created: TestDatabase[] = [];

/** What each database says when a unique key would be broken. */
const UNIQUE_VIOLATION = onPostgres ? /violates unique constraint/ : /UNIQUE constraint failed/;
const FOREIGN_KEY_VIOLATION = onPostgres
  ? /violates foreign key constraint/
  : /FOREIGN KEY constraint failed/;

/** A migrated database: the SQLite file at `path`, or a new test database (SQLite or Postgres). */
async function freshDatabase(path?: string): Promise<Db> {
  let url = path;
  if (url === undefined) {
    const database = await createTestDatabase();
    created.push(database);
    url = database.url;
  }
  const db = openDatabase(url);
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
  await Promise.all(created.splice(0).map((database) => database.drop()));
});

describe("database", () => {
  // SQLite's own: a file path whose folder is made, and the WAL journal.
  it.skipIf(onPostgres)(
    "creates the folder of a file database, uses WAL and enforces foreign keys",
    async () => {
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
    },
  );

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
    await expect(claim("claimed")).rejects.toThrow(UNIQUE_VIOLATION);
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
    await expect(show(2)).rejects.toThrow(UNIQUE_VIOLATION);
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
    await expect(subscribe()).rejects.toThrow(UNIQUE_VIOLATION);
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
    await expect(assign()).rejects.toThrow(UNIQUE_VIOLATION);
  });

  // SQLite's own: databases migrated before Postgres was supported have exactly these tables.
  it.skipIf(onPostgres)("keeps SQLite's AUTOINCREMENT ids as they always were", async () => {
    const db = await freshDatabase();
    const tables = await sql<{ name: string; sql: string }>`
      select name, sql from sqlite_master where sql like '%autoincrement%' order by name`.execute(
      db,
    );
    expect(tables.rows.map((row) => row.name)).toEqual([
      "articles",
      "assignment_changes",
      "assignments",
      "comments",
      "digests",
      "feeds",
      "search_documents",
      "subscriptions",
    ]);
    for (const row of tables.rows) {
      expect(row.sql).toContain(
        `CREATE TABLE "${row.name}" ("id" integer primary key autoincrement, `,
      );
    }
  });

  it("enforces foreign keys", async () => {
    const db = await freshDatabase();
    await expect(
      db
        .insertInto("read_later")
        .values({ user_id: "U1", article_id: 999, channel_id: null, saved_at: NOW })
        .execute(),
    ).rejects.toThrow(FOREIGN_KEY_VIOLATION);
  });

  it("counts, numbers and flags with plain numbers", async () => {
    const db = await freshDatabase();
    await insertArticle(db, "https://example.com/a", "A");
    const counted = await db
      .selectFrom("articles")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max("id").as("top")])
      .executeTakeFirstOrThrow();
    expect(counted).toEqual({ n: 1, top: 1 });
    await db
      .insertInto("channels")
      .values({
        channel_id: "C1",
        digest_hour: 9,
        digest_minute: 0,
        digest_days: "weekdays",
        time_zone: "UTC",
        created_at: NOW,
        updated_at: NOW,
      })
      .execute();
    const channel = await db.selectFrom("channels").select("digest_enabled").executeTakeFirst();
    expect(channel).toEqual({ digest_enabled: 1 });
  });

  it("lists never-fetched feeds first and undated assignments first, as SQLite always did", async () => {
    const db = await freshDatabase();
    for (const [url, lastAttemptAt] of [
      ["https://example.com/b", "2026-11-25T08:00:00.000Z"],
      ["https://example.com/never", null],
      ["https://example.com/a", "2026-11-25T07:00:00.000Z"],
    ] as const) {
      await db
        .insertInto("feeds")
        .values({ url, title: url, created_at: NOW, last_attempt_at: lastAttemptAt })
        .execute();
    }
    await db
      .insertInto("subscriptions")
      .values(
        [1, 2, 3].map((feedId) => ({
          channel_id: "C1",
          feed_id: feedId,
          include_words: "[]",
          exclude_words: "[]",
          created_by: "U1",
          created_at: NOW,
          updated_at: NOW,
        })),
      )
      .execute();
    expect((await listDueFeeds(db, NOW, null)).map((feed) => feed.url)).toEqual([
      "https://example.com/never",
      "https://example.com/a",
      "https://example.com/b",
    ]);

    for (const [index, dueDate] of ["2026-12-02", null, "2026-12-01"].entries()) {
      await insertArticle(db, `https://example.com/${index}`, `Article ${index}`);
      await db
        .insertInto("assignments")
        .values({
          article_id: index + 1,
          assignee_id: "U2",
          assigner_id: "U1",
          due_date: dueDate,
          status: "open",
          created_at: NOW,
          updated_at: NOW,
        })
        .execute();
    }
    const open = await listOpenAssignments(db, "assignee_id", "U2");
    expect(open.map((row) => row.due_date)).toEqual([null, "2026-12-01", "2026-12-02"]);
  });

  // SQLite's one connection: Postgres readers do not wait for a writer's transaction.
  it.skipIf(onPostgres)(
    "runs statements queued behind a transaction in the order they were asked, none lost",
    async () => {
      const db = await freshDatabase();
      const finished: number[] = [];
      let releaseTransaction = () => {};
      const held = new Promise<void>((resolve) => {
        releaseTransaction = resolve;
      });
      const transaction = db.transaction().execute(async (trx) => {
        await trx
          .insertInto("feeds")
          .values({ url: "https://feeds.example/held.xml", title: "Held", created_at: NOW })
          .execute();
        await held;
      });
      const queued = Array.from({ length: 40 }, (_, n) =>
        db
          .selectFrom("feeds")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
          .then((row) => {
            finished.push(n);
            return Number(row.n);
          }),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      releaseTransaction();
      await transaction;
      // Each statement waited for the transaction, saw its feed, and ran first come first served.
      expect(await Promise.all(queued)).toEqual(Array.from({ length: 40 }, () => 1));
      expect(finished).toEqual(Array.from({ length: 40 }, (_, n) => n));
    },
  );

  it("says whether the database answers", async () => {
    const db = await freshDatabase();
    expect(await isDatabaseHealthy(db)).toBe(true);
    const unreachable = openDatabase("postgres://opsfeed@127.0.0.1:1/opsfeed");
    opened.push(unreachable);
    expect(await isDatabaseHealthy(unreachable)).toBe(false);
  });

  it("backs up SQLite only, pointing Postgres users to pg_dump", async () => {
    await expect(backupDatabase("postgres://db.example/opsfeed", "copy.sql")).rejects.toThrow(
      "DATABASE_URL is a Postgres database, back it up with pg_dump",
    );
  });
});

// Postgres's own: several opsfeed databases may be schemas of one Postgres database.
describe.runIf(onPostgres)("database on Postgres", () => {
  it("migrates each schema of one Postgres database on its own, once", async () => {
    const first = await freshDatabase();
    await insertArticle(first, "https://example.com/a", "A");
    const second = await freshDatabase();
    expect(await second.selectFrom("articles").selectAll().execute()).toEqual([]);
    for (const db of [first, second]) {
      expect((await migrateToLatest(db)).results).toEqual([]);
    }
    const tables = await sql<{ schema: string }>`
      select distinct table_schema as schema from information_schema.tables
      where table_name = 'kysely_migration' and table_schema = current_schema()`.execute(second);
    expect(tables.rows).toHaveLength(1);
  });
});

import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "../src/store/checkpointer.js";
import { type Db, migrateToLatest, openDatabase, sqliteFileOf } from "../src/store/database.js";

/*
 * The app's SQLite checkpoints run in a worker thread (src/store/checkpointer.ts): what the
 * app writes reaches the database file although its own connection never checkpoints.
 */

const dirs: string[] = [];
const opened: Db[] = [];

afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function newFile(): Promise<{ db: Db; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), "opsfeed-checkpoint-"));
  dirs.push(dir);
  const path = join(dir, "opsfeed.sqlite");
  const db = openDatabase(path);
  opened.push(db);
  await migrateToLatest(db);
  return { db, path };
}

/** About 8 MB of articles, written through the app's connection. */
async function writeArticles(db: Db): Promise<void> {
  const now = new Date().toISOString();
  for (let start = 0; start < 4000; start += 200) {
    await db
      .insertInto("articles")
      .values(
        Array.from({ length: 200 }, (_, k) => ({
          canonical_url: `https://articles.example/${start + k}`,
          url: `https://articles.example/${start + k}`,
          title: `Article ${start + k}`,
          summary: "x".repeat(2000),
          first_seen_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }
}

const sizeOf = (path: string) => statSync(path).size;

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe("the SQLite checkpointer", () => {
  it("copies what the app wrote into the database file, the app's connection never checkpointing", async () => {
    const { db, path } = await newFile();
    const checkpointer = await startCheckpointer(db, 50);
    expect(checkpointer).not.toBeNull();
    const sqlite = sqliteFileOf(db)?.sqlite;
    expect(sqlite?.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const before = sizeOf(path);
    await writeArticles(db);
    expect(await waitFor(() => sizeOf(path) > before + 6_000_000)).toBe(true);
    await checkpointer?.stop();
    // Stopped, the app's connection checkpoints for itself again.
    expect(sqlite?.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    expect(await db.selectFrom("articles").select("id").execute()).toHaveLength(4000);
  });

  it("starts the WAL over while the app keeps writing, so a long poll does not grow it without end", async () => {
    const { db, path } = await newFile();
    const checkpointer = await startCheckpointer(db, 20);
    // About 24 MB in 300 small transactions, as a poll stores feed after feed.
    let largestWal = 0;
    const now = new Date().toISOString();
    for (let feed = 0; feed < 300; feed++) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("articles")
          .values(
            Array.from({ length: 20 }, (_, k) => ({
              canonical_url: `https://articles.example/${feed}/${k}`,
              url: `https://articles.example/${feed}/${k}`,
              title: `Article ${feed}/${k}`,
              summary: "x".repeat(4000),
              first_seen_at: now,
              updated_at: now,
            })),
          )
          .execute();
      });
      largestWal = Math.max(largestWal, sizeOf(`${path}-wal`));
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await checkpointer?.stop();
    expect(sizeOf(path)).toBeGreaterThan(20_000_000);
    // Grown without a restart, the WAL holds every frame written: about 38 MB (measured).
    expect(largestWal).toBeLessThan(18_000_000);
  });

  it("is needed: with the app's own checkpoints off and no checkpointer, the file stays as it was", async () => {
    const { db, path } = await newFile();
    sqliteFileOf(db)?.sqlite.pragma("wal_autocheckpoint = 0");
    const before = sizeOf(path);
    await writeArticles(db);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sizeOf(path)).toBe(before);
    expect(sizeOf(`${path}-wal`)).toBeGreaterThan(6_000_000);
  });

  it("is not started for an in-memory database", async () => {
    const db = openDatabase(":memory:");
    opened.push(db);
    await migrateToLatest(db);
    expect(await startCheckpointer(db)).toBeNull();
  });
});

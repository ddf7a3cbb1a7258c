import { type CompiledQuery, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { type Db, inTransaction, migrateToLatest, openDatabase } from "../src/store/database.js";
import { claimedDigestsQuery, digestCandidatesQuery } from "../src/store/digests.js";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.js";

/*
 * The digest path's query plans, as the database reports them (EXPLAIN QUERY PLAN on SQLite,
 * EXPLAIN on Postgres): a channel's digest reads its feeds' new articles by a range of the
 * covering index, never every article they ever carried, with no temp B-tree sort and no full
 * scan; the unfinished digests are found by index, not by reading every digest. Postgres
 * would rightly scan these tiny tables, so there sequential scans are priced out first: what
 * is checked is that an index serves each step.
 */

const opened: Db[] = [];
const created: TestDatabase[] = [];

async function freshDatabase(): Promise<Db> {
  const database = await createTestDatabase();
  created.push(database);
  const db = openDatabase(database.url);
  opened.push(db);
  await migrateToLatest(db);
  return db;
}

/** The plan's lines for a compiled query. */
async function planOf(db: Db, query: CompiledQuery): Promise<string[]> {
  return inTransaction(db, async (trx) => {
    if (onPostgres) await sql`set local enable_seqscan = off`.execute(trx);
    const explain = onPostgres ? "explain " : "explain query plan ";
    const result = await trx.executeQuery<Record<string, string>>({
      ...query,
      sql: explain + query.sql,
    });
    return result.rows.map((row) => String(row.detail ?? row["QUERY PLAN"]));
  });
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
  await Promise.all(created.splice(0).map((database) => database.drop()));
});

describe("digest query plans", () => {
  it.each([
    ["the first digest", null],
    ["a later digest", "2026-11-24T09:00:00.000Z"],
  ])(
    "%s reads new articles by a range of the covering index, with no sort or full scan",
    async (_name, since) => {
      const db = await freshDatabase();
      const plan = await planOf(db, digestCandidatesQuery(db, "C0001", since).compile());
      const text = plan.join("\n");
      if (onPostgres) {
        expect(text).toMatch(
          /Index Only Scan using feed_articles_feed_seen on feed_articles[^\n]*\n\s*Index Cond: \(\(feed_id = \w+\.feed_id\) AND \(first_seen_at >= /,
        );
        expect(text).not.toMatch(/Seq Scan|Sort/);
      } else {
        expect(text).toMatch(
          /SEARCH fa USING COVERING INDEX feed_articles_feed_seen \(feed_id=\? AND first_seen_at>\?\)/,
        );
        expect(text).not.toMatch(/TEMP B-TREE/);
        expect(plan.filter((line) => /^SCAN /.test(line))).toEqual([]);
        // Each feed article is read from an index alone, never from its table row.
        expect(plan.filter((line) => / fa USING /.test(line) && !/COVERING/.test(line))).toEqual(
          [],
        );
      }
    },
  );

  it("finds the unfinished digests by index, not by reading every digest", async () => {
    const db = await freshDatabase();
    const text = (await planOf(db, claimedDigestsQuery(db).compile())).join("\n");
    if (onPostgres) {
      expect(text).toMatch(/Index (Only )?Scan .*on digests/);
      expect(text).not.toMatch(/Seq Scan/);
    } else {
      expect(text).toMatch(
        /SEARCH digests USING COVERING INDEX digests_status_channel \(status=\?\)/,
      );
      expect(text).not.toMatch(/SCAN digests/);
    }
  });
});

/**
 * Retention (`npm run bench -- retention`): deleting one article on a database with 1,000,000
 * rows each in read_later, article_reads and digest_articles, before and after migration
 * 0010-retention's article_id indexes; then a prune of 100,000 old articles (with their feed
 * links, read marks, digest lines and search documents) among 100,000 recent and 10,000 old
 * but queued ones, through the store functions the prune use case runs, timing every
 * transaction and the longest the event loop was held. Rows are generated with batched
 * better-sqlite3 inserts into temp files.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { Migrator } from "kysely";
import { forDialect } from "../db/migrations/dialect.js";
import { migrations } from "../db/migrations/index.js";
import { PRUNE_BATCH } from "../src/retention/retention.js";
import { searchDocuments } from "../src/search/types.js";
import { migrateToLatest, openDatabase } from "../src/store/database.js";
import { articlePruneScan, deleteArticles } from "../src/store/retention.js";
import type { BenchResult } from "./result.js";
import { searchDocumentWriter } from "./search-documents.js";

/** What one run measured. */
export interface RetentionBenchResult {
  /** rows in each of read_later, article_reads, digest_articles */
  rows: number;
  /** median ms to delete one article, without and with the indexes */
  deleteBefore: number;
  deleteAfter: number;
  pruned: number;
  pruneSeconds: number;
  /** the longest single delete transaction, and scan step, in ms */
  longestTransaction: number;
  /** the 99th percentile of the delete transactions, in ms */
  p99Transaction: number;
  longestScanStep: number;
  /** the longest the event loop was held during the prune, in ms */
  longestStall: number;
  buildSeconds: number;
}

const USERS = 5;
const OLD = "2020-01-01T00:00:00.000Z";
const RECENT = "2026-11-20T00:00:00.000Z";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

/** Migrates a new SQLite file up to (not including) `upTo`, or to the latest. */
async function migrated(path: string, upTo?: string): Promise<void> {
  const db = openDatabase(path);
  if (upTo) {
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < upTo));
    const { error } = await new Migrator({
      db,
      provider: { getMigrations: async () => forDialect(before, "sqlite") },
    }).migrateToLatest();
    if (error) throw error;
  } else {
    await migrateToLatest(db);
  }
  await db.destroy();
}

/** `articles` articles, each read, queued and shown in a digest USERS times. */
function generateReferences(path: string, articles: number): void {
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  sqlite
    .prepare(
      "insert into feeds (id, url, title, created_at) values (1, 'https://f.example/', 'F', ?)",
    )
    .run(OLD);
  const article = sqlite.prepare(
    `insert into articles (id, canonical_url, url, title, first_seen_at, updated_at)
     values (?, ?, ?, ?, ?, ?)`,
  );
  const link = sqlite.prepare(
    "insert into feed_articles (feed_id, article_id, first_seen_at) values (1, ?, ?)",
  );
  const later = sqlite.prepare(
    "insert into read_later (user_id, article_id, channel_id, saved_at) values (?, ?, 'C0', ?)",
  );
  const read = sqlite.prepare(
    "insert into article_reads (user_id, article_id, read_at) values (?, ?, ?)",
  );
  const digest = sqlite.prepare(
    `insert into digests (id, channel_id, status, trigger, claimed_at, posted_at, article_count)
     values (?, ?, 'posted', 'schedule', ?, ?, 100)`,
  );
  const shown = sqlite.prepare(
    `insert into digest_articles (digest_id, channel_id, article_id, position, message_index)
     values (?, ?, ?, ?, 0)`,
  );
  // Each channel's digests show 100 articles each.
  const perDigest = 100;
  const digestsPerChannel = Math.ceil(articles / perDigest);
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) {
      const url = `https://articles.example/${id}`;
      article.run(id, url, url, `Article ${id}`, OLD, OLD);
      link.run(id, OLD);
      const digestOf = Math.floor((id - 1) / perDigest);
      for (let user = 0; user < USERS; user++) {
        // 20,000 users and 1,000 channels, as in a large workspace: few rows share a key prefix.
        const userId = `U${(id * USERS + user) % 20_000}`;
        const channelId = `C${user * 200 + (digestOf % 200)}`;
        later.run(userId, id, OLD);
        read.run(userId, id, OLD);
        const digestId = user * digestsPerChannel + digestOf + 1;
        if ((id - 1) % perDigest === 0) digest.run(digestId, channelId, OLD, OLD);
        shown.run(digestId, channelId, id, (id - 1) % perDigest);
      }
    }
  });
  for (let from = 1; from <= articles; from += 10_000) {
    batch(from, Math.min(articles + 1, from + 10_000));
  }
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.exec("analyze");
  sqlite.close();
}

/** Median ms of deleting `count` articles one by one (each cascading into its rows). */
function timeDeletes(path: string, ids: number[]): number {
  const sqlite = new SQLite(path);
  sqlite.pragma("foreign_keys = ON");
  const remove = sqlite.prepare("delete from articles where id = ?");
  const times = ids.map((id) => {
    const start = performance.now();
    remove.run(id);
    return performance.now() - start;
  });
  sqlite.close();
  return median(times);
}

/**
 * 100 feeds; `old` articles first seen and last listed in 2020 (search documents, a read mark,
 * a digest line each), `kept` more as old but in someone's queue, and `recent` from this week,
 * which are also what each feed listed last.
 */
function generatePrunable(path: string, old: number, kept: number, recent: number): void {
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  const feeds = 100;
  const feed = sqlite.prepare(
    "insert into feeds (id, url, title, created_at) values (?, ?, 'F', ?)",
  );
  for (let id = 1; id <= feeds; id++) feed.run(id, `https://f.example/${id}`, OLD);
  sqlite
    .prepare(
      `insert into digests (id, channel_id, status, trigger, claimed_at, posted_at, article_count)
       values (1, 'C0', 'posted', 'schedule', ?, ?, 0)`,
    )
    .run(OLD, OLD);
  const article = sqlite.prepare(
    `insert into articles (id, canonical_url, url, title, summary, first_seen_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const link = sqlite.prepare(
    "insert into feed_articles (feed_id, article_id, first_seen_at) values (?, ?, ?)",
  );
  const read = sqlite.prepare(
    "insert into article_reads (user_id, article_id, read_at) values ('U0', ?, ?)",
  );
  const later = sqlite.prepare(
    "insert into read_later (user_id, article_id, channel_id, saved_at) values ('U0', ?, 'C0', ?)",
  );
  const shown = sqlite.prepare(
    `insert into digest_articles (digest_id, channel_id, article_id, position, message_index)
     values (1, 'C0', ?, ?, 0)`,
  );
  const documents = searchDocumentWriter(sqlite);
  const total = old + kept + recent;
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let id = from; id < to; id++) {
      const isOld = id <= old + kept;
      const at = isOld ? OLD : RECENT;
      const url = `https://articles.example/${id}`;
      const title = `Incident ${id} on service ${id % 500}`;
      const summary = `What happened to service ${id % 500}, and what we changed.`;
      article.run(id, url, url, title, summary, at, at);
      link.run((id % feeds) + 1, id, at);
      if (isOld) {
        read.run(id, at);
        shown.run(id, id);
        // Every eleventh old article is in someone's queue: kept.
        if (id % 11 === 0) later.run(id, at);
      }
      for (const doc of searchDocuments({ title, summary }, [])) {
        documents.write(id, id, doc);
      }
    }
  });
  for (let from = 1; from <= total; from += 10_000) batch(from, Math.min(total + 1, from + 10_000));
  documents.finish();
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.exec("analyze");
  sqlite.close();
}

/** Runs both measurements; `rows` per reference table, `pruned` old articles to prune. */
export async function measureRetention(
  rows = 1_000_000,
  pruned = 100_000,
): Promise<RetentionBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), "opsfeed-bench-retention-"));
  try {
    const built = performance.now();
    // One article deleted: the same database before and after the indexes.
    const refs = join(dir, "references.sqlite");
    await migrated(refs, "0010-retention");
    const articles = Math.ceil(rows / USERS);
    generateReferences(refs, articles);
    let buildMs = performance.now() - built;
    const sample = Array.from({ length: 20 }, (_, i) => 1 + Math.floor((i * articles) / 20));
    const deleteBefore = timeDeletes(refs, sample.slice(0, 10));
    const indexed = performance.now();
    await migrated(refs);
    const indexMs = performance.now() - indexed;
    const deleteAfter = timeDeletes(refs, sample.slice(10));

    // The prune.
    const path = join(dir, "prune.sqlite");
    await migrated(path);
    const kept = Math.floor(pruned / 10);
    const generated = performance.now();
    generatePrunable(path, pruned, kept, pruned);
    buildMs += performance.now() - generated;

    const db = openDatabase(path);
    const stalls = monitorEventLoopDelay({ resolution: 1 });
    stalls.enable();
    let deleted = 0;
    const transactions: number[] = [];
    let longestScanStep = 0;
    const before = "2026-01-01T00:00:00.000Z";
    const start = performance.now();
    // The loop of the prune use case (src/retention/retention.ts), timing each step.
    const scan = articlePruneScan(db, before);
    for (;;) {
      const stepStart = performance.now();
      const step = await scan.next();
      longestScanStep = Math.max(longestScanStep, performance.now() - stepStart);
      for (let i = 0; i < step.articleIds.length; i += PRUNE_BATCH) {
        const trxStart = performance.now();
        deleted += await deleteArticles(db, step.articleIds.slice(i, i + PRUNE_BATCH), before);
        transactions.push(performance.now() - trxStart);
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (step.done) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const pruneSeconds = (performance.now() - start) / 1000;
    stalls.disable();
    await db.destroy();
    return {
      rows: articles * USERS,
      deleteBefore,
      deleteAfter,
      pruned: deleted,
      pruneSeconds,
      longestTransaction: Math.max(0, ...transactions),
      p99Transaction:
        [...transactions].sort((a, b) => a - b)[Math.floor(transactions.length * 0.99)] ?? 0,
      longestScanStep,
      longestStall: stalls.max / 1e6,
      buildSeconds: (buildMs + indexMs) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The retention section of `npm run bench`. */
export async function retentionSection(): Promise<BenchResult[]> {
  const rows = Number(process.env.BENCH_RETENTION_ROWS ?? 1_000_000);
  const prune = Number(process.env.BENCH_RETENTION_PRUNE ?? 100_000);
  const run = await measureRetention(rows, prune);
  const n = (value: number) => value.toLocaleString("en");
  return [
    {
      name: `delete one article, ${n(run.rows)} rows each in read_later/article_reads/digest_articles, no article_id index`,
      goal: "report",
      measured: `${run.deleteBefore.toFixed(1)} ms`,
      ok: true,
    },
    {
      name: "delete one article, with 0010-retention's indexes",
      goal: "< 5 ms",
      measured: `${run.deleteAfter.toFixed(2)} ms`,
      ok: run.deleteAfter < 5,
    },
    {
      name: `prune ${n(run.pruned)} old articles (of ${n(prune * 2 + Math.floor(prune / 10))}; built in ${run.buildSeconds.toFixed(0)} s), total`,
      goal: "report",
      measured: `${run.pruneSeconds.toFixed(1)} s`,
      ok: true,
    },
    {
      name: `prune, p99 transaction (${PRUNE_BATCH} articles)`,
      goal: "report",
      measured: `${run.p99Transaction.toFixed(1)} ms`,
      ok: true,
    },
    {
      name: `prune, longest transaction (${PRUNE_BATCH} articles; SQLite's FTS5 merging the search index)`,
      goal: "< 100 ms",
      measured: `${run.longestTransaction.toFixed(1)} ms`,
      ok: run.longestTransaction < 100,
    },
    {
      name: "prune, longest the event loop was held (longest scan step, with yields, in all)",
      goal: "< 100 ms",
      measured: `${run.longestStall.toFixed(1)} ms (${run.longestScanStep.toFixed(0)})`,
      ok: run.longestStall < 100,
    },
  ];
}

/**
 * `digest-scale`: select and render the digests of 1,000 channels over 1,000,000 articles.
 * Rows are generated straight into a temp SQLite file (batched inserts through better-sqlite3):
 * 2,000 feeds × 500 articles, a long history of which each feed first saw ~35 since the last
 * digest; 1,000 channels of two feeds each (~1,000 articles of history, ~70 new), with a month
 * of posted digests. The CPU time (`process.cpuUsage()`) of every channel's selection
 * (`listDigestCandidates` + `selectDigestEntries`) and render (`renderDigestMessages`) is the
 * figure; main's query (an OR over each feed's whole history) runs on the same file as the
 * reference, and the plans are checked for temp B-trees and full scans.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import type { CompiledQuery } from "kysely";
import { selectDigestEntries } from "../src/digest/selection.js";
import { renderDigestMessages } from "../src/slack/render/digest.js";
import { type Db, migrateToLatest, openDatabase } from "../src/store/database.js";
import {
  claimedDigestsQuery,
  digestCandidatesQuery,
  listDigestCandidates,
} from "../src/store/digests.js";
import type { BenchResult } from "./result.js";

export const FEEDS = 2_000;
const ARTICLES_PER_FEED = 500;
export const CHANNELS = 1_000;
const FEEDS_PER_CHANNEL = 2;
/** Articles each feed first saw since the last digest. */
const NEW_PER_FEED = 35;
const DAY_MS = 86_400_000;
const NOW = Date.parse("2026-11-25T09:00:00.000Z");
const SINCE = new Date(NOW - DAY_MS).toISOString();
const MAX_ARTICLES = 30;

export const channelId = (n: number) => `C${String(n).padStart(5, "0")}`;

/** Writes feeds, articles, subscriptions, channels and past digests into the migrated file. */
function generate(path: string): void {
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = OFF");
  const created = new Date(NOW - 400 * DAY_MS).toISOString();
  const feed = sqlite.prepare("insert into feeds (id, url, title, created_at) values (?, ?, ?, ?)");
  const article = sqlite.prepare(
    `insert into articles (id, canonical_url, url, title, summary, published_at, first_seen_at, updated_at, bookmark_count, bookmark_comments_url)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const link = sqlite.prepare(
    "insert into feed_articles (feed_id, article_id, first_seen_at) values (?, ?, ?)",
  );
  const summary =
    "A look at how the team rolled the change out across regions, what broke on the way, " +
    "which alerts fired, and the follow-up work planned for the next quarter & beyond <details>.";
  // A long history (about a year), then the last day's few new ones.
  const spacing = (400 * DAY_MS) / (ARTICLES_PER_FEED - NEW_PER_FEED);
  const feeds = sqlite.transaction(() => {
    for (let f = 1; f <= FEEDS; f++) {
      feed.run(f, `https://feeds.example/${f}.xml`, `Feed ${f} — engineering news`, created);
    }
  });
  feeds();
  // In the order polls store them: every feed's next article, then the next, so one feed's
  // rows are spread over the whole file as in production (not packed together).
  const fill = sqlite.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const fresh = i >= ARTICLES_PER_FEED - NEW_PER_FEED;
      const at = fresh
        ? NOW -
          DAY_MS +
          ((i - (ARTICLES_PER_FEED - NEW_PER_FEED) + 1) * DAY_MS) / (NEW_PER_FEED + 1)
        : NOW - DAY_MS - (ARTICLES_PER_FEED - NEW_PER_FEED - i) * spacing;
      for (let f = 1; f <= FEEDS; f++) {
        const id = i * FEEDS + f;
        // Feeds poll at different moments: spread each round over a few minutes.
        const iso = new Date(at + (f % 300) * 1000).toISOString();
        const url = `https://articles.example/${f}/${i}`;
        const hatena = id % 3 === 0;
        article.run(
          id,
          url,
          url,
          `Article ${id}: incident review of the ${f % 17}th cluster's failover`,
          summary,
          iso,
          iso,
          iso,
          hatena ? id % 500 : null,
          hatena ? `https://b.hatena.ne.jp/entry/s/articles.example/${f}/${i}` : null,
        );
        link.run(f, id, iso);
      }
    }
  });
  for (let from = 0; from < ARTICLES_PER_FEED; from += 5) {
    fill(from, Math.min(ARTICLES_PER_FEED, from + 5));
  }

  const channel = sqlite.prepare(
    `insert into channels (channel_id, digest_hour, digest_minute, digest_days, time_zone, last_digest_at, created_at, updated_at)
     values (?, 9, 0, 'daily', 'UTC', ?, ?, ?)`,
  );
  const subscription = sqlite.prepare(
    `insert into subscriptions (channel_id, feed_id, include_words, exclude_words, created_by, created_at, updated_at)
     values (?, ?, '[]', '[]', 'U1', ?, ?)`,
  );
  const digest = sqlite.prepare(
    `insert into digests (channel_id, status, trigger, claimed_at, posted_at, article_count)
     values (?, 'posted', 'schedule', ?, ?, 30)`,
  );
  sqlite.transaction(() => {
    for (let c = 1; c <= CHANNELS; c++) {
      channel.run(channelId(c), SINCE, created, created);
      for (let k = 0; k < FEEDS_PER_CHANNEL; k++) {
        subscription.run(
          channelId(c),
          (((c - 1) * FEEDS_PER_CHANNEL + k) % FEEDS) + 1,
          created,
          created,
        );
      }
      for (let d = 1; d <= 30; d++) {
        const at = new Date(NOW - d * DAY_MS).toISOString();
        digest.run(channelId(c), at, at);
      }
    }
  })();
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.exec("analyze");
  sqlite.close();
}

/**
 * Migrates a new SQLite file at `path` and fills it: 1,000,000 articles of 2,000 feeds, 1,000
 * channels of two feeds each with a month of posted digests (also used by `memory`).
 */
export async function buildDigestScaleDatabase(path: string): Promise<void> {
  const setup = openDatabase(path);
  await migrateToLatest(setup);
  await setup.destroy();
  generate(path);
}

/** Main's candidate query: one OR over each subscription's whole feed history, sorted in SQL. */
const MAIN_QUERY = `
  select a.id, a.title, a.url, a.summary, a.bookmark_count, a.bookmark_comments_url,
         a.published_at, a.first_seen_at, f.title as source, s.include_words, s.exclude_words,
         s.min_bookmarks
  from subscriptions as s
  inner join feeds as f on f.id = s.feed_id
  inner join feed_articles as fa on fa.feed_id = s.feed_id
  inner join articles as a on a.id = fa.article_id
  where s.channel_id = ? and s.mode = 'digest'
    and (s.digest_since is null or fa.first_seen_at >= s.digest_since)
    and not exists (select rp.article_id from realtime_posts as rp where rp.channel_id = ? and rp.article_id = a.id)
    and not exists (select da.article_id from digest_articles as da where da.channel_id = ? and da.article_id = a.id)
    and (fa.first_seen_at >= ? or s.created_at >= ?)
  order by s.id`;

/** CPU seconds (user + system) spent in `work`. */
async function cpuSeconds(work: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

async function planOf(db: Db, query: CompiledQuery): Promise<string[]> {
  const result = await db.executeQuery<{ detail: string }>({
    ...query,
    sql: `explain query plan ${query.sql}`,
  });
  return result.rows.map((row) => row.detail);
}

/** Builds the file, then measures select + render for every channel. */
export async function measureDigestScale(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "opsfeed-bench-digest-"));
  const path = join(dir, "opsfeed.sqlite");
  try {
    const built = performance.now();
    await buildDigestScaleDatabase(path);
    const buildSeconds = (performance.now() - built) / 1000;

    const db = openDatabase(path);
    const channels = Array.from({ length: CHANNELS }, (_, i) => channelId(i + 1));
    let candidates = 0;
    let shown = 0;
    let messages = 0;
    const selectAndRender = async () => {
      for (const channel of channels) {
        const rows = await listDigestCandidates(db, channel, SINCE);
        const selection = selectDigestEntries(rows, MAX_ARTICLES);
        const rendered = renderDigestMessages(
          "en",
          {
            digestId: 1,
            channelId: channel,
            date: "2026-11-25",
            entries: selection.entries,
            overflowCount: selection.overflowCount,
          },
          "UTC",
        );
        candidates += rows.length;
        shown += selection.entries.length;
        messages += rendered.length;
      }
    };
    // A warm-up round (the page cache, JIT), then the measured one.
    await selectAndRender();
    candidates = shown = messages = 0;
    const cpu = await cpuSeconds(selectAndRender);
    let selectOnly = 0;
    const selectCpu = await cpuSeconds(async () => {
      for (const channel of channels) {
        selectOnly += (await listDigestCandidates(db, channel, SINCE)).length;
      }
    });

    // Main's query on the same file, the same channels, without this branch's covering index
    // (dropped in a transaction rolled back after): the reference of this run.
    const raw = new SQLite(path);
    // This branch's query through the same bare connection, for a like-for-like figure.
    let branchRows = 0;
    // Prepared once per SQL text, as the app's statement cache keeps them (main's is prepared
    // once too).
    const prepared = new Map<string, SQLite.Statement>();
    const branchRound = async () => {
      branchRows = 0;
      for (const channel of channels) {
        const query = digestCandidatesQuery(db, channel, SINCE).compile();
        let statement = prepared.get(query.sql);
        if (!statement) {
          statement = raw.prepare(query.sql);
          prepared.set(query.sql, statement);
        }
        branchRows += statement.all(...(query.parameters as unknown[])).length;
      }
    };
    let mainRows = 0;
    const mainRound = async (query: SQLite.Statement) => {
      mainRows = 0;
      for (const channel of channels) {
        mainRows += query.all(channel, channel, channel, SINCE, SINCE).length;
      }
    };
    // Each timed warm, after a first untimed round: the connection's page cache would otherwise
    // favour whichever ran second. Main's runs without the index, dropped outside the timing.
    await branchRound();
    const branchCpu = await cpuSeconds(branchRound);
    raw.exec("begin; drop index feed_articles_feed_seen");
    const mainQuery = raw.prepare(MAIN_QUERY);
    await mainRound(mainQuery);
    const mainCpu = await cpuSeconds(() => mainRound(mainQuery));
    raw.exec("rollback");
    raw.close();

    const plans = [
      ...(await planOf(db, digestCandidatesQuery(db, channels[0] as string, SINCE).compile())),
      ...(await planOf(db, claimedDigestsQuery(db).compile())),
    ];
    const bad = plans.filter(
      (line) => /TEMP B-TREE/.test(line) || /^SCAN /.test(line) || / fa USING INDEX /.test(line),
    );
    await db.destroy();

    return [
      {
        name: `select + render digests, ${CHANNELS} channels on ${(FEEDS * ARTICLES_PER_FEED).toLocaleString("en")} articles (${candidates} candidates, ${shown} shown, ${messages} messages; built in ${buildSeconds.toFixed(0)} s)`,
        goal: "< 1 s CPU",
        measured: `${cpu.toFixed(2)} s`,
        ok: cpu < 1,
      },
      {
        name: `  of which the candidate query through the store, ${selectOnly} rows`,
        goal: "report",
        measured: `${selectCpu.toFixed(2)} s`,
        ok: true,
      },
      {
        name: `  candidate query on a bare connection (main's pragmas): this branch's, ${branchRows} rows; main's without the index ${mainCpu.toFixed(2)} s, ${mainRows} rows`,
        goal: "same rows, faster",
        measured: `${branchCpu.toFixed(2)} s`,
        ok: branchRows === mainRows && branchCpu < mainCpu,
      },
      {
        name: `digest query plans: no temp B-tree, no full scan, feed articles from the covering index${bad.length > 0 ? ` (${bad.join("; ")})` : ""}`,
        goal: "none",
        measured: `${bad.length} found`,
        ok: bad.length === 0,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The small benchmarks: parsing the Hatena fixture, storing a 200-item feed, selecting and
 * rendering a 200-article digest, and a scheduler tick over 10,000 channels with none due.
 */
import { readFileSync } from "node:fs";
import { createLeases } from "../src/delivery/leases.js";
import { createOutbox } from "../src/delivery/outbox.js";
import type { MessageSender } from "../src/delivery/types.js";
import { setChannelSchedule } from "../src/digest/channel-schedule.js";
import type { DigestDeps } from "../src/digest/digest-service.js";
import { runDueDigests } from "../src/digest/due-digests.js";
import { selectDigestEntries } from "../src/digest/selection.js";
import { parseFeed } from "../src/feeds/parse-feed.js";
import type { ParsedFeed } from "../src/feeds/types.js";
import { createLogger } from "../src/logger.js";
import { NO_METRICS } from "../src/metrics/no-op.js";
import { renderDigestMessages } from "../src/slack/render/digest.js";
import { migrateToLatest, openDatabase } from "../src/store/database.js";
import { listDigestCandidates } from "../src/store/digests.js";
import { storeFetchedFeed } from "../src/store/feeds.js";

import { type BenchResult, time } from "./result.js";

const hatena = readFileSync(
  new URL("../../shared/fixtures/feeds/hatena-hotentry-it.rdf", import.meta.url),
);

/** Parsing: a poll of hundreds of feeds must not be CPU-bound. */
export async function measureParse(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const count = 500;
  const { ms } = await time(() => {
    for (let i = 0; i < count; i++) parseFeed(hatena, "https://b.hatena.example/hotentry/it.rss");
  });
  const each = ms / count;
  results.push({
    name: "parse the Hatena fixture",
    goal: "< 5 ms each",
    measured: `${each.toFixed(2)} ms`,
    ok: each < 5,
  });
  return results;
}

/** Storing a feed, a digest's selection and render, and an idle scheduler tick. */
export async function measureDigestBasics(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const db = openDatabase(":memory:");
  await migrateToLatest(db);
  const now = new Date("2026-11-25T09:00:00Z");

  // 2. Storing a fetched feed of 200 items in one transaction.
  const bigFeed: ParsedFeed = {
    format: "rss",
    title: "Big",
    siteUrl: null,
    items: Array.from({ length: 200 }, (_, i) => ({
      url: `https://big.example/${i}`,
      canonicalUrl: `https://big.example/${i}`,
      title: `Incident review ${i}`,
      summary: "What happened, what we did, what we changed.",
      publishedAt: new Date(now.getTime() - i * 60_000).toISOString(),
      author: null,
      bookmarkCount: i % 50,
      bookmarkCommentsUrl: null,
      imageUrl: null,
      subjects: [],
    })),
  };
  {
    const { ms } = await time(() =>
      storeFetchedFeed(
        db,
        "https://big.example/feed",
        bigFeed,
        { etag: null, lastModified: null },
        now.toISOString(),
      ),
    );
    results.push({
      name: "store a 200-item feed",
      goal: "< 200 ms",
      measured: `${ms.toFixed(1)} ms`,
      ok: ms < 200,
    });
  }

  // 3. Selecting and rendering a digest from 200 candidates.
  await db
    .insertInto("subscriptions")
    .values({
      channel_id: "C1",
      feed_id: 1,
      include_words: "[]",
      exclude_words: "[]",
      min_bookmarks: null,
      created_by: "U1",
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  {
    const { ms, value } = await time(async () => {
      const selection = selectDigestEntries(await listDigestCandidates(db, "C1", null), 200);
      return renderDigestMessages(
        "en",
        {
          digestId: 1,
          channelId: "C1",
          date: "2026-11-25",
          entries: selection.entries,
          overflowCount: selection.overflowCount,
        },
        "UTC",
      );
    });
    results.push({
      name: `select and render a 200-article digest (${value.length} messages)`,
      goal: "< 100 ms",
      measured: `${ms.toFixed(1)} ms`,
      ok: ms < 100,
    });
  }

  // 4. The scheduler tick with 10,000 channels, none due: one query, not ten thousand timers.
  {
    for (let i = 0; i < 10_000; i++) {
      await setChannelSchedule(
        db,
        `C${i + 2}`,
        { hour: 9, minute: 0, days: "weekdays", timeZone: "Asia/Tokyo" },
        "UTC",
        now,
      );
    }
    const logger = createLogger("error");
    const clock = () => now;
    const leases = createLeases({ db, owner: "bench", clock, logger });
    const sender: MessageSender = {
      post: async () => ({ kind: "sent", ts: "0" }),
      find: async () => ({ kind: "absent" }),
      openDirect: async () => ({ kind: "opened", channelId: "D0" }),
    };
    const deps: DigestDeps = {
      db,
      clock,
      logger,
      maxArticles: 30,
      render: () => [],
      outbox: createOutbox({ db, clock, logger, sender, leases }),
      leases,
      pause: async () => {},
      metrics: NO_METRICS,
    };
    const { ms } = await time(() => runDueDigests(deps));
    results.push({
      name: "scheduler tick over 10,000 channels, none due",
      goal: "< 50 ms",
      measured: `${ms.toFixed(1)} ms`,
      ok: ms < 50,
    });
  }

  await db.destroy();
  return results;
}

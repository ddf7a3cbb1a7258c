import type { Leases } from "../delivery/leases.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/types.js";
import type { Db } from "../store/database.js";
import { articlePruneScan, clearSentPayloads, deleteArticles } from "../store/retention.js";

/**
 * Articles deleted per transaction. Measured on SQLite (100,000 of 210,000 articles): most
 * transactions take a few ms; the longest are SQLite's FTS5 search index merging its segments
 * as deletions accumulate, 208 ms at 500 or 250 articles, 140 ms at 100; so 50.
 */
export const PRUNE_BATCH = 50;

/** What one prune removed. */
export interface PruneSummary {
  /** `disabled` when OPSFEED_RETENTION_DAYS is 0, `busy` when another process is pruning */
  status: "pruned" | "disabled" | "busy";
  /** older than this (ISO time) was pruned; null when nothing was looked at */
  before: string | null;
  articles: number;
  payloads: number;
}

/** The retention of old articles and sent messages' payloads (OPSFEED_RETENTION_DAYS). */
export interface RetentionService {
  /** prunes once, under a lease so that of several processes one does it */
  prune(): Promise<PruneSummary>;
}

const DAY_MS = 86_400_000;

/** Lets the event loop (Slack's acks, /healthz) run between two batches. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Creates the retention use case. Older than `retentionDays` (0 keeps everything), it clears
 * the payloads of sent messages (a digest's blocks, kept to re-render its lines: older digests'
 * team lines are no longer updated) and deletes articles nothing keeps, batch by batch.
 */
export function createRetentionService(deps: {
  db: Db;
  clock: () => Date;
  leases: Leases;
  logger: Logger;
  metrics: Metrics;
  retentionDays: number;
  batchSize?: number;
}): RetentionService {
  const { db, logger, metrics } = deps;
  const batchSize = deps.batchSize ?? PRUNE_BATCH;

  const pruneOlderThan = async (before: string) => {
    let payloads = 0;
    for (;;) {
      const cleared = await clearSentPayloads(db, before, batchSize);
      payloads += cleared;
      metrics.payloadsCleared(cleared);
      if (cleared < batchSize) break;
      await yieldToEventLoop();
    }
    let articles = 0;
    const scan = articlePruneScan(db, before);
    for (;;) {
      const step = await scan.next();
      for (let start = 0; start < step.articleIds.length; start += batchSize) {
        const deleted = await deleteArticles(
          db,
          step.articleIds.slice(start, start + batchSize),
          before,
        );
        articles += deleted;
        metrics.articlesPruned(deleted);
        await yieldToEventLoop();
      }
      if (step.done) break;
      await yieldToEventLoop();
    }
    return { articles, payloads };
  };

  return {
    async prune() {
      if (deps.retentionDays === 0) {
        return { status: "disabled", before: null, articles: 0, payloads: 0 };
      }
      const started = Date.now();
      const before = new Date(deps.clock().getTime() - deps.retentionDays * DAY_MS).toISOString();
      const leased = await deps.leases.run("retention", () => pruneOlderThan(before));
      if (!leased.held) return { status: "busy", before: null, articles: 0, payloads: 0 };
      logger.info("retention prune finished", {
        before,
        articles: leased.value.articles,
        payloads: leased.value.payloads,
        ms: Date.now() - started,
      });
      return { status: "pruned", before, ...leased.value };
    },
  };
}

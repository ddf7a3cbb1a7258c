import type { Leases } from "../delivery/leases.js";
import type { Logger } from "../logger.js";
import { activityOf } from "../store/activity.js";
import type { Db } from "../store/database.js";
import {
  bumpDigestActivity,
  getPostedDigestMessage,
  listMessagesCarrying,
  listStaleDigestMessages,
  markActivityShown,
} from "../store/digests.js";
import { bookmarkCounts } from "../store/explain.js";
import { CLEARED_PAYLOAD } from "../store/retention.js";
import type { ArticleActivity } from "./types.js";

/** How long changes to an article gather before its digest line is updated once. */
export const DIGEST_UPDATE_DEBOUNCE_MS = 1500;

/** A posted digest message to show again, as claimed, with the team's activity on its articles. */
export interface DigestMessageActivity {
  channelId: string;
  ts: string;
  /** the message as it was claimed and posted (JSON-parsed) */
  payload: unknown;
  activity: Map<number, ArticleActivity>;
  /** the articles' Hatena bookmark counts now (a re-polled feed may have changed them) */
  bookmarkCounts?: Map<number, number | null>;
}

/** Edits a posted digest message (the Slack layer implements it); true when Slack took the edit. */
export type DigestMessageEditor = (message: DigestMessageActivity) => Promise<boolean>;

/** Keeps the team-activity line under each article in the digests that carried it up to date. */
export interface DigestLineRefresher {
  /**
   * Notes a team action on an article (inside the action's transaction, when given one) and
   * schedules the update of every digest message that carried it.
   */
  articleChanged(articleId: number, trx?: Db): Promise<void>;
  /** updates every message whose line lags behind (after a restart, or another process's action) */
  refreshStale(): Promise<void>;
  /** sends the pending updates now (at shutdown) */
  flush(): Promise<void>;
}

/**
 * Creates the refresher. Each action bumps a version on the messages that carried the
 * article; an update takes the message's lease, reads the activity fresh, edits the message,
 * and records the version it showed. So a burst of clicks costs one edit, two processes never
 * edit one message at once, and the last edit always shows the latest counts.
 */
export function createDigestLineRefresher(deps: {
  db: Db;
  edit: DigestMessageEditor;
  leases: Leases;
  logger: Logger;
  debounceMs?: number;
}): DigestLineRefresher {
  const { db, logger } = deps;
  const pending = new Map<string, NodeJS.Timeout>();
  const debounceMs = deps.debounceMs ?? DIGEST_UPDATE_DEBOUNCE_MS;

  const schedule = (key: string) => {
    const existing = pending.get(key);
    if (existing) clearTimeout(existing);
    pending.set(
      key,
      setTimeout(() => void update(key), debounceMs),
    );
  };

  const update = async (key: string) => {
    const timer = pending.get(key);
    if (timer) clearTimeout(timer);
    pending.delete(key);
    const [digestId, index] = key.split(":").map(Number) as [number, number];
    try {
      const leased = await deps.leases.run(`digest-line:${key}`, async () => {
        const message = await getPostedDigestMessage(db, digestId, index);
        if (!message || message.activityVersion <= message.shownVersion) return;
        // The retention prune cleared this old message's blocks: it can no longer be re-rendered.
        if (message.payload === CLEARED_PAYLOAD) {
          await markActivityShown(db, digestId, index, message.activityVersion);
          return;
        }
        const edited = await deps.edit({
          channelId: message.channelId,
          ts: message.ts,
          payload: JSON.parse(message.payload),
          activity: await activityOf(db, message.articleIds, message.channelId),
          bookmarkCounts: await bookmarkCounts(db, message.articleIds),
        });
        if (edited) await markActivityShown(db, digestId, index, message.activityVersion);
      });
      // Someone else is editing it; look again once they are done, in case they read too early.
      if (!leased.held) schedule(key);
    } catch (error) {
      logger.warn("could not update a digest message", { digest: digestId, error });
    }
  };

  return {
    async articleChanged(articleId, trx) {
      try {
        await bumpDigestActivity(trx ?? db, articleId);
        for (const { digestId, index } of await listMessagesCarrying(trx ?? db, articleId)) {
          schedule(`${digestId}:${index}`);
        }
      } catch (error) {
        logger.warn("could not schedule a digest update", { article: articleId, error });
      }
    },
    async refreshStale() {
      for (const { digestId, index } of await listStaleDigestMessages(db, 100)) {
        await update(`${digestId}:${index}`);
      }
    },
    async flush() {
      await Promise.all([...pending.keys()].map(update));
    },
  };
}

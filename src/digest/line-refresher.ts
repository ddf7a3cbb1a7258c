import type { Logger } from "../logger.js";
import { activityOf } from "../store/activity.js";
import type { Db } from "../store/database.js";
import { getPostedDigestMessage, listMessagesCarrying } from "../store/digests.js";
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
}

/** Edits posted digest messages (the Slack layer implements it; it logs its own failures). */
export type DigestMessageEditor = (message: DigestMessageActivity) => Promise<void>;

/** Keeps the team-activity line under each article in the digests that carried it up to date. */
export interface DigestLineRefresher {
  /** schedules the update of the article's line in every digest message that carried it */
  articleChanged(articleId: number): void;
  /** sends the pending updates now (at shutdown) */
  flush(): Promise<void>;
}

/**
 * Creates the refresher: changes to articles of one message gather for `debounceMs`, then the
 * message is edited once with the activity read fresh from the database, so a burst of clicks
 * costs one edit and the line always shows the latest counts.
 */
export function createDigestLineRefresher(deps: {
  db: Db;
  edit: DigestMessageEditor;
  logger: Logger;
  debounceMs?: number;
}): DigestLineRefresher {
  const { db, logger } = deps;
  const pending = new Map<string, NodeJS.Timeout>();

  const flushOne = async (key: string) => {
    const timer = pending.get(key);
    if (timer) clearTimeout(timer);
    pending.delete(key);
    const [digestId, index] = key.split(":").map(Number) as [number, number];
    try {
      const message = await getPostedDigestMessage(db, digestId, index);
      if (!message) return;
      await deps.edit({
        channelId: message.channelId,
        ts: message.ts,
        payload: JSON.parse(message.payload),
        activity: await activityOf(db, message.articleIds),
      });
    } catch (error) {
      logger.warn("could not update a digest message", { digest: digestId, error });
    }
  };

  return {
    articleChanged(articleId) {
      void (async () => {
        for (const { digestId, index } of await listMessagesCarrying(db, articleId)) {
          const key = `${digestId}:${index}`;
          const existing = pending.get(key);
          if (existing) clearTimeout(existing);
          pending.set(
            key,
            setTimeout(() => void flushOne(key), deps.debounceMs ?? DIGEST_UPDATE_DEBOUNCE_MS),
          );
        }
      })().catch((error) =>
        logger.warn("could not schedule a digest update", { article: articleId, error }),
      );
    },
    async flush() {
      await Promise.all([...pending.keys()].map(flushOne));
    },
  };
}

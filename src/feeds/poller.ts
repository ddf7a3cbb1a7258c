import type { Feed } from "../../db/schema.js";
import { isAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Db } from "../store/database.js";
import {
  listDueFeeds,
  listFeedsOfChannel,
  markOutageNotified,
  type StoredFetch,
  storeFetchedFeed,
  storeFetchFailure,
  storeNotModified,
} from "../store/feeds.js";
import { channelsOfFeed } from "../store/subscriptions.js";
import { OUTAGE_NOTICE_AFTER_MS, retryDelayMs } from "./backoff.js";
import { type FeedFetcher, fetchFeed } from "./fetch-feed.js";

/** A message for the channels of a feed about its health. */
export type FeedNotice =
  | {
      kind: "outage";
      feedTitle: string;
      feedUrl: string;
      failingSince: string;
      errorCode: string;
      errorParams: Record<string, string | number>;
    }
  | { kind: "recovered"; feedTitle: string; feedUrl: string };

/** Tells channels about a feed's outage or recovery (the Slack layer posts it). */
export type FeedNotifier = (channelIds: string[], notice: FeedNotice) => Promise<void>;

/** What polling needs: storage, time, the fetcher, logs, and a way to tell channels. */
export interface PollDeps {
  db: Db;
  clock: () => Date;
  fetcher: FeedFetcher;
  logger: Logger;
  notify: FeedNotifier;
}

/** What happened to one feed in a poll. */
export interface PollOutcome {
  feedId: number;
  url: string;
  title: string;
  result: "fetched" | "not-modified" | "error";
  newArticles: number;
  errorCode: string | null;
  errorParams: Record<string, string | number>;
}

/** Told about each feed's outcome as soon as its poll finishes (the CLI streams them). */
export type OnPollOutcome = (outcome: PollOutcome) => void;

/** How many feeds are fetched at once; requests to one host are never parallel. */
export const POLL_CONCURRENCY = 4;

/**
 * Fetches every feed that is due, a few at a time and one at a time per host. A failing
 * feed is counted and backed off and never stops the others.
 */
export async function pollDueFeeds(
  deps: PollDeps,
  concurrency = POLL_CONCURRENCY,
  onOutcome?: OnPollOutcome,
): Promise<PollOutcome[]> {
  const due = await listDueFeeds(deps.db, deps.clock().toISOString());
  return pollFeeds(deps, due, concurrency, onOutcome);
}

/** Fetches a channel's feeds now, whatever their back-off (`digest now`). */
export async function pollChannelFeeds(
  deps: PollDeps,
  channelId: string,
  concurrency = POLL_CONCURRENCY,
  onOutcome?: OnPollOutcome,
): Promise<PollOutcome[]> {
  return pollFeeds(deps, await listFeedsOfChannel(deps.db, channelId), concurrency, onOutcome);
}

/** Fetches the given feeds now, whatever their back-off. */
export async function pollFeeds(
  deps: PollDeps,
  feeds: Feed[],
  concurrency = POLL_CONCURRENCY,
  onOutcome?: OnPollOutcome,
): Promise<PollOutcome[]> {
  const byHost = new Map<string, Feed[]>();
  for (const feed of feeds) {
    const host = hostOf(feed.url);
    byHost.set(host, [...(byHost.get(host) ?? []), feed]);
  }
  const queues = [...byHost.values()];
  const outcomes: PollOutcome[] = [];
  const worker = async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift()) {
      for (const feed of queue) {
        const outcome = await pollFeed(deps, feed);
        outcomes.push(outcome);
        onOutcome?.(outcome);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return outcomes;
}

/** Fetches one feed, stores the result in one transaction, and sends any notice due. */
export async function pollFeed(deps: PollDeps, feed: Feed): Promise<PollOutcome> {
  const logger = deps.logger.child({ feed: feed.id });
  const base = { feedId: feed.id, url: feed.url, title: feed.title };
  try {
    const fetched = await fetchFeed(deps.fetcher, feed.url, {
      etag: feed.etag,
      lastModified: feed.last_modified,
    });
    const now = deps.clock().toISOString();
    const stored: StoredFetch =
      fetched.status === "ok"
        ? await storeFetchedFeed(deps.db, feed.url, fetched.feed, fetched.validators, now)
        : await storeNotModified(deps.db, feed.id, now);
    if (stored.recoveredFromOutage) {
      await notifySafely(deps, logger, feed.id, {
        kind: "recovered",
        feedTitle: fetched.status === "ok" ? fetched.feed.title : feed.title,
        feedUrl: feed.url,
      });
    }
    logger.info("feed polled", {
      result: fetched.status,
      newArticles: stored.newArticleIds.length,
    });
    return {
      ...base,
      result: fetched.status === "ok" ? "fetched" : "not-modified",
      newArticles: stored.newArticleIds.length,
      errorCode: null,
      errorParams: {},
    };
  } catch (error) {
    const code = isAppError(error) ? error.code : "fetch.network";
    const params = isAppError(error) ? error.params : { reason: (error as Error).message };
    const now = deps.clock().toISOString();
    const failure = await storeFetchFailure(deps.db, feed.id, { code, params }, now, retryDelayMs);
    const outageNoticeDue =
      !failure.outageNotified &&
      Date.parse(now) - Date.parse(failure.failingSince) >= OUTAGE_NOTICE_AFTER_MS;
    logger.warn("feed fetch failed", {
      error: code,
      failures: failure.consecutiveFailures,
      nextFetchAt: failure.nextFetchAt,
    });
    if (outageNoticeDue) {
      await notifySafely(deps, logger, feed.id, {
        kind: "outage",
        feedTitle: feed.title,
        feedUrl: feed.url,
        failingSince: failure.failingSince,
        errorCode: code,
        errorParams: params,
      });
      await markOutageNotified(deps.db, feed.id, now);
    }
    return { ...base, result: "error", newArticles: 0, errorCode: code, errorParams: params };
  }
}

async function notifySafely(deps: PollDeps, logger: Logger, feedId: number, notice: FeedNotice) {
  const channels = await channelsOfFeed(deps.db, feedId);
  try {
    await deps.notify(channels, notice);
  } catch (error) {
    // A notice that cannot be posted must not turn a feed's poll into a failure.
    logger.warn("could not post a feed notice", { notice: notice.kind, error });
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

import type { Feed } from "../../db/schema.js";
import type { Leases } from "../delivery/leases.js";
import { isAppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { type Db, inTransaction } from "../store/database.js";
import {
  getFeed,
  listDueFeeds,
  listDueRealtimeFeeds,
  listFeedsOfChannel,
  markOutageNotified,
  type StoredFetch,
  setFeedFreshUntil,
  storeFetchedFeed,
  storeFetchFailure,
  storeNotModified,
} from "../store/feeds.js";
import { channelsOfFeed } from "../store/subscriptions.js";
import { OUTAGE_NOTICE_AFTER_MS, retryDelayMs } from "./backoff.js";
import { displayUrl } from "./canonical-url.js";
import { type FeedFetcher, fetchFeed } from "./fetch-feed.js";

/** A message for the channels of a feed about its health. */
export type FeedNotice =
  | {
      kind: "outage";
      feedId: number;
      feedTitle: string;
      feedUrl: string;
      failingSince: string;
      errorCode: string;
      errorParams: Record<string, string | number>;
    }
  | {
      kind: "recovered";
      feedId: number;
      feedTitle: string;
      feedUrl: string;
      /** when the channels were told about the outage that ended */
      outageNotifiedAt: string;
    };

/**
 * Tells channels about a feed's outage or recovery: `record` writes the notices inside the
 * transaction that decides them (so each is posted once, whoever sends it), `send` posts what
 * was recorded once that transaction committed.
 */
export interface FeedNotifier {
  record(trx: Db, notice: FeedNotice, channelIds: string[]): Promise<string[]>;
  send(keys: string[]): Promise<void>;
}

/**
 * Told about every stored fetch inside the transaction that stores it (realtime posts record
 * the new and changed articles they will post there, so each is posted once).
 */
export interface StoredFetchListener {
  record(trx: Db, stored: StoredFetch): Promise<unknown>;
}

/** What polling needs: storage, time, the fetcher, leases, logs, and a way to tell channels. */
export interface PollDeps {
  db: Db;
  clock: () => Date;
  fetcher: FeedFetcher;
  leases: Leases;
  logger: Logger;
  notify: FeedNotifier;
  /**
   * hears, inside the poll's transaction, of stored articles whose Hatena bookmark count the
   * poll changed (the digest lines showing them are refreshed)
   */
  articlesRecounted?: (articleIds: number[], trx: Db) => Promise<void>;
  /** hears each stored fetch inside its transaction (realtime posts) */
  onStored?: StoredFetchListener;
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

/**
 * How widely feeds are fetched: `total` feeds at once in this process, at most `perHost` of
 * them from one host (host and port), whichever poll (ordinary, realtime, `digest now`) asks.
 */
export interface PollConcurrency {
  total: number;
  perHost: number;
}

/** The defaults of OPSFEED_POLL_CONCURRENCY and OPSFEED_POLL_HOST_CONCURRENCY. */
export const POLL_CONCURRENCY: PollConcurrency = { total: 16, perHost: 2 };

/** How long `digest now` waits for another process's poll of the same feed to finish. */
const FEED_LEASE_WAIT_MS = 20_000;

/**
 * Fetches every feed that is due, `concurrency.total` at a time and at most
 * `concurrency.perHost` from one host. A feed is
 * due when its back-off has passed and, with `dueSince` (the start of a scheduled tick), no
 * one attempted it since: processes ticking together fetch each feed once. A failing feed is
 * counted and backed off and never stops the others.
 */
export async function pollDueFeeds(
  deps: PollDeps,
  dueSince: Date | null = null,
  concurrency = POLL_CONCURRENCY,
  onOutcome?: OnPollOutcome,
): Promise<PollOutcome[]> {
  const since = dueSince?.toISOString() ?? null;
  const due = await listDueFeeds(deps.db, deps.clock().toISOString(), since);
  return pollFeeds(deps, due, concurrency, since, onOutcome);
}

/**
 * Fetches the feeds of realtime subscriptions not attempted for `intervalMs` (by anyone: a
 * feed another process or the ordinary poll fetched since counts), whose back-off has passed
 * and that are not fresh by their own word (max-age, ttl, Retry-After).
 */
export async function pollDueRealtimeFeeds(
  deps: PollDeps,
  intervalMs: number,
  concurrency = POLL_CONCURRENCY,
  onOutcome?: OnPollOutcome,
): Promise<PollOutcome[]> {
  const now = deps.clock().getTime();
  // A little slack: a tick that comes a moment early still finds the feed due.
  const attemptedBefore = new Date(now - intervalMs + REALTIME_SLACK_MS).toISOString();
  const due = await listDueRealtimeFeeds(deps.db, new Date(now).toISOString(), attemptedBefore);
  return pollFeeds(deps, due, concurrency, attemptedBefore, onOutcome);
}

/** How early a realtime tick may come and still find a feed due. */
const REALTIME_SLACK_MS = 5_000;

/** Fetches a channel's feeds now, whatever their back-off (`digest now`). */
export async function pollChannelFeeds(
  deps: PollDeps,
  channelId: string,
  concurrency = POLL_CONCURRENCY,
  onOutcome?: OnPollOutcome,
): Promise<PollOutcome[]> {
  return pollFeeds(
    deps,
    await listFeedsOfChannel(deps.db, channelId),
    concurrency,
    null,
    onOutcome,
  );
}

/**
 * Fetches the given feeds, each under its lease; with `dueSince`, a feed someone attempted
 * since then (another process, this tick) or is fetching now is left out. Without it (`digest
 * now`, the CLI), a feed another process is fetching is waited for instead.
 */
export async function pollFeeds(
  deps: PollDeps,
  feeds: Feed[],
  concurrency = POLL_CONCURRENCY,
  dueSince: string | null = null,
  onOutcome?: OnPollOutcome,
): Promise<PollOutcome[]> {
  const perHost = Math.max(1, concurrency.perHost);
  // Each host's feeds dealt into at most `perHost` lanes; a worker takes a lane and fetches
  // its feeds in turn, so one busy host never takes more than its share of the workers.
  const byHost = new Map<string, Feed[][]>();
  for (const feed of feeds) {
    const host = hostOf(feed.url);
    const lanes = byHost.get(host) ?? [];
    if (lanes.length < perHost) lanes.push([feed]);
    else
      lanes
        .reduce((shortest, lane) => (lane.length < shortest.length ? lane : shortest))
        .push(feed);
    byHost.set(host, lanes);
  }
  // Interleaved: every host's first lane before any host's second.
  const lanes: Array<{ host: string; feeds: Feed[] }> = [];
  for (let round = 0; round < perHost; round++) {
    for (const [host, hostLanes] of byHost) {
      const lane = hostLanes[round];
      if (lane) lanes.push({ host, feeds: lane });
    }
  }
  const outcomes: PollOutcome[] = [];
  const worker = async () => {
    for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
      for (const feed of lane.feeds) {
        // The ordinary and the realtime poll may run at once: still `perHost` per host.
        const outcome = await withHostSlot(lane.host, perHost, () =>
          pollUnderLease(deps, feed.id, dueSince),
        );
        if (outcome) {
          outcomes.push(outcome);
          onOutcome?.(outcome);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency.total) }, worker));
  return outcomes;
}

/** Requests to each host under way in this process, and the polls waiting for a turn. */
const hostSlots = new Map<string, { active: number; waiting: Array<() => void> }>();

/** Runs `work` once fewer than `limit` fetches of this process are talking to `host`. */
async function withHostSlot<T>(host: string, limit: number, work: () => Promise<T>): Promise<T> {
  let slots = hostSlots.get(host);
  if (!slots) {
    slots = { active: 0, waiting: [] };
    hostSlots.set(host, slots);
  }
  const held = slots;
  while (held.active >= limit) await new Promise<void>((resolve) => held.waiting.push(resolve));
  held.active++;
  try {
    return await work();
  } finally {
    held.active--;
    const next = held.waiting.shift();
    if (next) next();
    else if (held.active === 0) hostSlots.delete(host);
  }
}

/** Polls a feed holding its lease; null when it is not due any more or someone else polls it. */
async function pollUnderLease(
  deps: PollDeps,
  feedId: number,
  dueSince: string | null,
): Promise<PollOutcome | null> {
  const work = async () => {
    // Read again under the lease: another process may have polled it meanwhile.
    const feed = await getFeed(deps.db, feedId);
    if (!feed) return null;
    if (dueSince !== null && feed.last_attempt_at !== null && feed.last_attempt_at >= dueSince) {
      return null;
    }
    return pollFeed(deps, feed);
  };
  const name = `feed:${feedId}`;
  const leased =
    dueSince === null
      ? await deps.leases.waitFor(name, FEED_LEASE_WAIT_MS, work)
      : await deps.leases.run(name, work);
  return leased.held ? leased.value : null;
}

/** Fetches one feed, stores the result in one transaction, and sends any notice due. */
export async function pollFeed(deps: PollDeps, feed: Feed): Promise<PollOutcome> {
  const logger = deps.logger.child({ feed: feed.id });
  // Outcomes and notices are shown to people: a URL's credentials stay in the database.
  const base = { feedId: feed.id, url: displayUrl(feed.url), title: feed.title };
  try {
    const fetched = await fetchFeed(
      deps.fetcher,
      feed.url,
      { etag: feed.etag, lastModified: feed.last_modified },
      feed.body_hash,
    );
    const now = deps.clock().toISOString();
    const { stored, notices } = await inTransaction(deps.db, async (trx) => {
      const stored: StoredFetch =
        fetched.status === "ok"
          ? await storeFetchedFeed(
              trx,
              feed.url,
              fetched.feed,
              fetched.validators,
              now,
              fetched.bodyHash,
            )
          : await storeNotModified(
              trx,
              feed.id,
              now,
              fetched.status === "same-body" ? fetched.validators : undefined,
            );
      const recounted = stored.recountedArticleIds ?? [];
      if (recounted.length > 0) await deps.articlesRecounted?.(recounted, trx);
      // A 304 (or a body parsed before) tells no ttl: the feed's is the one its last full
      // fetch gave.
      const freshFor =
        fetched.status === "ok"
          ? fetched.freshForSeconds
          : Math.max(fetched.freshForSeconds ?? 0, (feed.ttl_minutes ?? 0) * 60) || null;
      await setFeedFreshUntil(trx, feed.id, freshFor ? secondsFrom(now, freshFor) : null);
      await deps.onStored?.record(trx, stored);
      if (stored.endedOutageNotifiedAt === null) return { stored, notices: [] };
      const notice: FeedNotice = {
        kind: "recovered",
        feedId: feed.id,
        feedTitle: fetched.status === "ok" ? fetched.feed.title : feed.title,
        feedUrl: base.url,
        outageNotifiedAt: stored.endedOutageNotifiedAt,
      };
      return { stored, notices: await recordNotice(deps, trx, notice) };
    });
    await sendNotices(deps, logger, notices);
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
    // A server that says when to come back (429, 503) is not asked again before then.
    const retryAfter = Number(params.retryAfterSeconds ?? 0);
    await setFeedFreshUntil(deps.db, feed.id, retryAfter > 0 ? secondsFrom(now, retryAfter) : null);
    const outageNoticeDue =
      !failure.outageNotified &&
      Date.parse(now) - Date.parse(failure.failingSince) >= OUTAGE_NOTICE_AFTER_MS;
    logger.warn("feed fetch failed", {
      error: code,
      failures: failure.consecutiveFailures,
      nextFetchAt: failure.nextFetchAt,
    });
    if (outageNoticeDue) {
      const notice: FeedNotice = {
        kind: "outage",
        feedId: feed.id,
        feedTitle: feed.title,
        feedUrl: base.url,
        failingSince: failure.failingSince,
        errorCode: code,
        errorParams: params,
      };
      const notices = await inTransaction(deps.db, async (trx) => {
        await markOutageNotified(trx, feed.id, now);
        return recordNotice(deps, trx, notice);
      });
      await sendNotices(deps, logger, notices);
    }
    return { ...base, result: "error", newArticles: 0, errorCode: code, errorParams: params };
  }
}

/** Records a notice for every channel of its feed, inside `trx`. */
async function recordNotice(deps: PollDeps, trx: Db, notice: FeedNotice): Promise<string[]> {
  return deps.notify.record(trx, notice, await channelsOfFeed(trx, notice.feedId));
}

async function sendNotices(deps: PollDeps, logger: Logger, keys: string[]) {
  try {
    await deps.notify.send(keys);
  } catch (error) {
    // A notice that cannot be posted now is retried by the outbox; the poll still succeeded.
    logger.warn("could not post a feed notice", { error });
  }
}

function secondsFrom(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

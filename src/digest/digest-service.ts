import type { Logger } from "../logger.js";
import { getChannel, markChannelDigested, setChannelDigestError } from "../store/channels.js";
import { type Db, inTransaction } from "../store/database.js";
import {
  digestStatus,
  findClaimedDigestId,
  insertClaimedDigest,
  insertDigestMessage,
  listClaimedDigests,
  listDigestCandidates,
  listDigestMessages,
  markDigestFailed,
  markDigestMessagePosted,
  markDigestPosted,
} from "../store/digests.js";
import { localDate } from "./schedule.js";
import { selectDigestEntries } from "./selection.js";
import type { DigestContent } from "./types.js";

/** One message of a digest as the Slack layer will post it; `payload` is JSON-serialisable. */
export interface OutgoingDigestMessage {
  payload: { text: string } & Record<string, unknown>;
  articleIds: number[];
}

/** Why posting a message failed: a Slack error code, and whether retrying could help. */
export class DigestPostError extends Error {
  constructor(
    readonly code: string,
    readonly permanent: boolean,
  ) {
    super(`digest post failed: ${code}`);
    this.name = "DigestPostError";
  }
}

/** How digests reach Slack; the Slack layer implements it. */
export interface DigestPoster {
  /** posts one message and returns its ts; throws DigestPostError */
  post(channelId: string, payload: OutgoingDigestMessage["payload"]): Promise<string>;
  /** the ts of a digest part already in the channel (tagged with metadata), or null */
  findPosted(channelId: string, digestId: number, part: number): Promise<string | null>;
}

/** What posting digests needs. */
export interface DigestDeps {
  db: Db;
  clock: () => Date;
  logger: Logger;
  maxArticles: number;
  /** renders a digest into messages in the channel's time zone */
  render(content: DigestContent, timeZone: string): OutgoingDigestMessage[];
  poster: DigestPoster;
  /** waits between two messages to one channel (Slack allows about one a second) */
  pause(): Promise<void>;
}

/** What became of a request for a channel's digest. */
export type DigestOutcome =
  | {
      status: "posted";
      digestId: number;
      articleCount: number;
      overflowCount: number;
      messageCount: number;
    }
  | { status: "nothing-new"; lastDigestAt: string | null }
  | { status: "failed"; digestId: number; errorCode: string; permanent: boolean };

/** Where a digest came from, for the record and the logs. */
export type DigestTrigger = "schedule" | "command" | "cli";

// One digest at a time per channel in this process: a second request waits and then finds
// nothing new, instead of racing the first (the claim index guards across processes).
const channelLocks = new Map<string, Promise<unknown>>();

function withChannelLock<T>(channelId: string, work: () => Promise<T>): Promise<T> {
  const previous = channelLocks.get(channelId) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  channelLocks.set(channelId, settled);
  void settled.then(() => {
    if (channelLocks.get(channelId) === settled) channelLocks.delete(channelId);
  });
  return next;
}

/**
 * Posts a channel's digest exactly once: finishes any digest left unfinished (by a crash or a
 * Slack outage) first, then claims the new articles in the database before posting, records
 * each message as soon as Slack accepts it, and before re-posting a part of a resumed digest
 * looks for it in the channel's history by its metadata.
 */
export function postChannelDigest(
  deps: DigestDeps,
  channelId: string,
  trigger: DigestTrigger,
): Promise<DigestOutcome> {
  return withChannelLock(channelId, async () => {
    const unfinished = await findClaimedDigestId(deps.db, channelId);
    if (unfinished !== null) {
      const resumed = await deliver(deps, channelId, unfinished, true);
      if (resumed.status === "failed") return resumed;
    }
    const digestId = await claimDigest(deps, channelId, trigger);
    if (digestId === null) {
      const channel = await getChannel(deps.db, channelId);
      return { status: "nothing-new", lastDigestAt: channel?.last_digest_at ?? null };
    }
    return deliver(deps, channelId, digestId, false);
  });
}

/**
 * The messages a channel's digest would be right now, without claiming, posting or storing
 * anything (`opsfeed digest --dry-run`). Its digest id is 0.
 */
export async function previewChannelDigest(
  deps: Pick<DigestDeps, "db" | "clock" | "maxArticles" | "render">,
  channelId: string,
): Promise<OutgoingDigestMessage[]> {
  const channel = await getChannel(deps.db, channelId);
  const timeZone = channel?.time_zone ?? "UTC";
  const candidates = await listDigestCandidates(
    deps.db,
    channelId,
    channel?.last_digest_at ?? null,
  );
  const selection = selectDigestEntries(candidates, deps.maxArticles);
  if (selection.entries.length === 0) return [];
  return deps.render(
    {
      digestId: 0,
      channelId,
      date: localDate(deps.clock(), timeZone),
      entries: selection.entries,
      overflowCount: selection.overflowCount,
    },
    timeZone,
  );
}

/** Finishes every digest left unfinished, e.g. after a restart. */
export async function resumeUnfinishedDigests(deps: DigestDeps): Promise<DigestOutcome[]> {
  const outcomes: DigestOutcome[] = [];
  for (const digest of await listClaimedDigests(deps.db)) {
    outcomes.push(
      await withChannelLock(digest.channelId, async () => {
        if ((await digestStatus(deps.db, digest.id)) !== "claimed")
          return { status: "nothing-new", lastDigestAt: null } as const;
        return deliver(deps, digest.channelId, digest.id, true);
      }),
    );
  }
  return outcomes;
}

/**
 * Claims a channel's new articles as one digest in one transaction: the digest row (at most
 * one unfinished per channel), its articles (a channel is shown an article once, ever) and
 * its rendered messages. Returns null when there is nothing new.
 */
async function claimDigest(
  deps: DigestDeps,
  channelId: string,
  trigger: DigestTrigger,
): Promise<number | null> {
  const now = deps.clock().toISOString();
  return inTransaction(deps.db, async (trx) => {
    const channel = await getChannel(trx, channelId);
    const since = channel?.last_digest_at ?? null;
    const timeZone = channel?.time_zone ?? "UTC";
    const selection = selectDigestEntries(
      await listDigestCandidates(trx, channelId, since),
      deps.maxArticles,
    );
    if (selection.entries.length === 0) return null;
    const digestId = await insertClaimedDigest(trx, {
      channelId,
      trigger,
      claimedAt: now,
      articleCount: selection.entries.length,
      overflowCount: selection.overflowCount,
    });
    const messages = deps.render(
      {
        digestId,
        channelId,
        date: localDate(new Date(now), timeZone),
        entries: selection.entries,
        overflowCount: selection.overflowCount,
      },
      timeZone,
    );
    const positions = new Map(selection.entries.map((entry, index) => [entry.articleId, index]));
    for (const [index, message] of messages.entries()) {
      await insertDigestMessage(trx, {
        digestId,
        channelId,
        index,
        payload: JSON.stringify(message.payload),
        articles: message.articleIds.map((articleId) => ({
          articleId,
          position: positions.get(articleId) ?? 0,
        })),
      });
    }
    return digestId;
  });
}

/** Posts a claimed digest's unposted messages in order and closes it. */
async function deliver(
  deps: DigestDeps,
  channelId: string,
  digestId: number,
  resuming: boolean,
): Promise<DigestOutcome> {
  const logger = deps.logger.child({ channel: channelId, digest: digestId });
  const messages = await listDigestMessages(deps.db, digestId);
  let postedBefore = false;
  for (const message of messages) {
    if (message.ts !== null) continue;
    const part = message.index + 1;
    try {
      // A crash may have come between Slack's answer and our write: look before re-posting.
      let ts = resuming ? await deps.poster.findPosted(channelId, digestId, part) : null;
      if (ts !== null) {
        logger.info("digest part found in channel history, not posting it again", { part });
      } else {
        if (postedBefore) await deps.pause();
        ts = await deps.poster.post(channelId, JSON.parse(message.payload ?? "{}"));
        postedBefore = true;
      }
      await markDigestMessagePosted(
        deps.db,
        digestId,
        message.index,
        ts,
        deps.clock().toISOString(),
      );
    } catch (error) {
      const code = error instanceof DigestPostError ? error.code : "unknown_error";
      const permanent = error instanceof DigestPostError && error.permanent;
      logger.warn("digest could not be posted", { part, slackError: code, permanent });
      if (permanent) await failDigest(deps, channelId, digestId, code);
      // A temporary failure leaves the digest claimed: the next tick or command resumes it.
      return { status: "failed", digestId, errorCode: code, permanent };
    }
  }
  return completeDigest(deps, channelId, digestId, messages.length, logger);
}

async function completeDigest(
  deps: DigestDeps,
  channelId: string,
  digestId: number,
  messageCount: number,
  logger: Logger,
): Promise<DigestOutcome> {
  const now = deps.clock().toISOString();
  const digest = await inTransaction(deps.db, async (trx) => {
    const row = await markDigestPosted(trx, digestId, now);
    await markChannelDigested(trx, channelId, row.claimedAt, now);
    return row;
  });
  logger.info("digest posted", { articles: digest.articleCount, messages: messageCount });
  return {
    status: "posted",
    digestId,
    articleCount: digest.articleCount,
    overflowCount: digest.overflowCount,
    messageCount,
  };
}

/**
 * Closes a digest Slack will never accept (channel gone, archived, bot not in it): the
 * channel shows the error, and the articles of parts never posted are released so a later
 * digest can show them once the problem is fixed.
 */
async function failDigest(deps: DigestDeps, channelId: string, digestId: number, code: string) {
  const now = deps.clock().toISOString();
  await inTransaction(deps.db, async (trx) => {
    await markDigestFailed(trx, digestId, code);
    await setChannelDigestError(trx, channelId, code, now);
  });
}

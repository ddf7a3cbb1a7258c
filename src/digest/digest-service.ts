import type { Channel } from "../../db/schema.js";
import type { Leases } from "../delivery/leases.js";
import { INLINE_RATE_LIMIT_WAIT_MS, type Outbox } from "../delivery/outbox.js";
import type { DeliveryResult, MessagePayload } from "../delivery/types.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/types.js";
import { getChannel, markChannelDigested, setChannelDigestError } from "../store/channels.js";
import { type Db, inTransaction } from "../store/database.js";
import {
  digestStatus,
  findClaimedDigestId,
  insertClaimedDigest,
  insertDigestMessage,
  listClaimedDigests,
  listDigestCandidates,
  listDigestParts,
  markDigestAbandoned,
  markDigestPosted,
} from "../store/digests.js";
import { recordArticlesReached } from "../store/visibility.js";
import { advanceSchedule } from "./channel-schedule.js";
import { type DigestSlots, UNBOUNDED_SLOTS } from "./digest-slots.js";
import { localDate } from "./schedule.js";
import { selectDigestEntries } from "./selection.js";
import type { DigestContent } from "./types.js";

/** One message of a digest as the Slack layer will post it; `payload` is JSON-serialisable. */
export interface OutgoingDigestMessage {
  payload: MessagePayload;
  articleIds: number[];
}

/** What posting digests needs. */
export interface DigestDeps {
  db: Db;
  clock: () => Date;
  logger: Logger;
  maxArticles: number;
  /** renders a digest into messages in the channel's time zone */
  render(content: DigestContent, timeZone: string): OutgoingDigestMessage[];
  outbox: Outbox;
  leases: Leases;
  /** counts how each digest run ends */
  metrics: Metrics;
  /** waits between two messages to one channel (Slack allows about one a second) */
  pause(): Promise<void>;
  /** the slots this digest's steps run in (scheduled digests share them); unset: no bound */
  slots?: DigestSlots;
}

/** A channel found due, and the tick's time: its schedule moves on as its digest is claimed. */
export interface DueTime {
  channel: Channel;
  now: Date;
}

/** A claimed digest's part: its outbox key and whether it is in Slack already. */
type DigestPart = { index: number; key: string; status: string };

/** Whether a message went to the channel yet in this run: the next one waits (pacing). */
type Pacing = { postedBefore: boolean };

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
  /** Slack refuses it for good (channel gone, archived, bot not in it) */
  | { status: "failed"; digestId: number; errorCode: string }
  /** refused the same way too often: set aside, its articles free for the next digest */
  | { status: "parked"; digestId: number; errorCode: string; attempts: number }
  /** not all of it is posted yet; opsfeed goes on at `retryAt` (or the next tick) */
  | {
      status: "delayed";
      digestId: number;
      reason: "rate-limited" | "unconfirmed" | "retrying" | "busy";
      /** the part that waits, 1-based, and how many there are */
      part: number;
      parts: number;
      retryAt: string | null;
      errorCode: string | null;
    }
  /** another request or process is posting this channel's digest right now */
  | { status: "busy" };

/** Where a digest came from, for the record and the logs. */
export type DigestTrigger = "schedule" | "command" | "cli";

/** The lease that makes one process at a time post a channel's digest. */
export function digestLease(channelId: string): string {
  return `digest:${channelId}`;
}

/** How long `digest now` and the CLI wait for another post of the same channel's digest to end. */
export const DIGEST_LEASE_WAIT_MS = 15_000;

/**
 * Posts a channel's digest exactly once, holding the channel's lease (waiting up to `waitMs`
 * for it): finishes a digest left unfinished first, then claims the new articles and their
 * rendered messages in one transaction, then sends the parts in order through the outbox.
 */
export async function postChannelDigest(
  deps: DigestDeps,
  channelId: string,
  trigger: DigestTrigger,
  waitMs = DIGEST_LEASE_WAIT_MS,
): Promise<DigestOutcome> {
  const leased = await deps.leases.waitFor(digestLease(channelId), waitMs, () =>
    postHoldingLease(deps, channelId, trigger),
  );
  return leased.held ? leased.value : counted(deps, { status: "busy" });
}

/** Counts how a digest run ended, and returns the outcome. */
function counted(deps: Pick<DigestDeps, "metrics">, outcome: DigestOutcome): DigestOutcome {
  deps.metrics.digestPosted(outcome.status);
  if (outcome.status === "parked") deps.metrics.digestParked();
  return outcome;
}

/** The body of `postChannelDigest`, for a caller that already holds the channel's lease. */
export async function postHoldingLease(
  deps: DigestDeps,
  channelId: string,
  trigger: DigestTrigger,
): Promise<DigestOutcome> {
  return counted(deps, (await postOrResume(deps, channelId, trigger, null)) as DigestOutcome);
}

/**
 * A due channel's scheduled digest, holding its lease: its due time moves on in the same
 * transaction that claims the digest, so a process killed in between leaves the channel due
 * (or its digest claimed, for any process to finish), never skipped. Null when another
 * process took this due time first.
 */
export async function postDueHoldingLease(
  deps: DigestDeps,
  due: DueTime,
): Promise<DigestOutcome | null> {
  const outcome = await postOrResume(deps, due.channel.channel_id, "schedule", due);
  return outcome && counted(deps, outcome);
}

async function postOrResume(
  deps: DigestDeps,
  channelId: string,
  trigger: DigestTrigger,
  due: DueTime | null,
): Promise<DigestOutcome | null> {
  const slots = deps.slots ?? UNBOUNDED_SLOTS;
  const pacing: Pacing = { postedBefore: false };
  const unfinished = await slots.run(() => findClaimedDigestId(deps.db, channelId));
  if (unfinished !== null) {
    const resumed = await deliver(deps, channelId, unfinished, null, pacing);
    if (resumed.status !== "posted") {
      // The schedule still moves on: the new articles wait for the next digest.
      const advanced =
        due === null || (await slots.run(() => advanceSchedule(deps.db, due.channel, due.now)));
      return advanced ? resumed : null;
    }
  }
  const claim = await slots.run(() => claimDigest(deps, channelId, trigger, due), true);
  switch (claim.kind) {
    case "taken":
      return null;
    case "nothing-new":
      return { status: "nothing-new", lastDigestAt: claim.lastDigestAt };
    case "claimed":
      return deliver(deps, channelId, claim.digestId, claim.parts, pacing);
  }
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

/**
 * Goes on with every digest left unfinished (a crash, an outage, a rate limit) whose channel
 * no one else is posting to.
 */
export async function resumeUnfinishedDigests(deps: DigestDeps): Promise<DigestOutcome[]> {
  const outcomes: DigestOutcome[] = [];
  for (const digest of await listClaimedDigests(deps.db)) {
    const leased = await deps.leases.run(digestLease(digest.channelId), async () =>
      (await digestStatus(deps.db, digest.id)) === "claimed"
        ? resumeClaimedHoldingLease(deps, digest.channelId, digest.id)
        : null,
    );
    if (leased.held && leased.value) outcomes.push(leased.value);
  }
  return outcomes;
}

/** Goes on with a claimed digest, for a caller holding its channel's lease. */
export async function resumeClaimedHoldingLease(
  deps: DigestDeps,
  channelId: string,
  digestId: number,
): Promise<DigestOutcome> {
  return counted(deps, await deliver(deps, channelId, digestId, null, { postedBefore: false }));
}

/** The outbox key of a digest part: what tags it in Slack, and what makes it posted once. */
function partKey(digestId: number, part: number): string {
  return `digest:${digestId}:${part}`;
}

/** What claiming came to: a digest and its parts, nothing new, or a due time already taken. */
type Claim =
  | { kind: "claimed"; digestId: number; parts: DigestPart[] }
  | { kind: "nothing-new"; lastDigestAt: string | null }
  | { kind: "taken" };

/**
 * Claims a channel's new articles as one digest in one transaction: the digest row (at most
 * one unfinished per channel), its articles (a channel is shown an article once, ever) and
 * its rendered messages, recorded in the outbox; for a due channel, its next due time too.
 * Returns the parts to post, so posting need not read back what was just written.
 */
async function claimDigest(
  deps: DigestDeps,
  channelId: string,
  trigger: DigestTrigger,
  due: DueTime | null,
): Promise<Claim> {
  const now = deps.clock().toISOString();
  return inTransaction(deps.db, async (trx): Promise<Claim> => {
    if (due && !(await advanceSchedule(trx, due.channel, due.now))) return { kind: "taken" };
    const channel = await getChannel(trx, channelId);
    const since = channel?.last_digest_at ?? null;
    const timeZone = channel?.time_zone ?? "UTC";
    const selection = selectDigestEntries(
      await listDigestCandidates(trx, channelId, since),
      deps.maxArticles,
    );
    if (selection.entries.length === 0) return { kind: "nothing-new", lastDigestAt: since };
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
    // Shown in the channel: its members may see these articles from now on, subscribed or not.
    await recordArticlesReached(
      trx,
      channelId,
      selection.entries.map((entry) => entry.articleId),
      "digest",
      now,
    );
    const positions = new Map(selection.entries.map((entry, index) => [entry.articleId, index]));
    const parts: DigestPart[] = [];
    for (const [index, message] of messages.entries()) {
      const key = partKey(digestId, index + 1);
      parts.push({ index, key, status: "pending" });
      await deps.outbox.enqueue(trx, [
        { key, kind: "digest", channelId, userId: null, threadTs: null, payload: message.payload },
      ]);
      await insertDigestMessage(trx, {
        digestId,
        channelId,
        index,
        outboxKey: key,
        articles: message.articleIds.map((articleId) => ({
          articleId,
          position: positions.get(articleId) ?? 0,
        })),
      });
    }
    return { kind: "claimed", digestId, parts };
  });
}

/** How often one part is tried again after a short 429 before it waits for a later run. */
const REFUSALS_WAITED_OUT = 2;

/**
 * Sends a claimed digest's unsent parts in order (`parts` when the caller has them, else read
 * from the database), pacing them, and closes it when all are in. Each send runs in a slot;
 * the pause between parts and a short Retry-After are waited out without one.
 */
async function deliver(
  deps: DigestDeps,
  channelId: string,
  digestId: number,
  known: DigestPart[] | null,
  pacing: Pacing,
): Promise<DigestOutcome> {
  const slots = deps.slots ?? UNBOUNDED_SLOTS;
  const logger = deps.logger.child({ channel: channelId, digest: digestId });
  const parts = known ?? (await slots.run(() => listDigestParts(deps.db, digestId), true));
  for (const part of parts) {
    if (part.status === "sent") continue;
    if (pacing.postedBefore) await deps.pause();
    const result = await sendPart(deps, slots, part.key);
    switch (result.status) {
      case "sent":
        pacing.postedBefore = true;
        continue;
      case "waiting":
        logger.info("digest waits", { part: part.index + 1, reason: result.reason });
        return {
          status: "delayed",
          digestId,
          reason: result.reason,
          part: part.index + 1,
          parts: parts.length,
          retryAt: result.retryAt,
          errorCode: result.error,
        };
      case "failed":
        await slots.run(
          () => abandonDigest(deps, channelId, digestId, result.error, "permanent"),
          true,
        );
        return { status: "failed", digestId, errorCode: result.error };
      case "parked":
        await slots.run(
          () => abandonDigest(deps, channelId, digestId, result.error, "parked"),
          true,
        );
        logger.error("digest parked", { error: result.error, attempts: result.attempts });
        return {
          status: "parked",
          digestId,
          errorCode: result.error,
          attempts: result.attempts,
        };
    }
  }
  return slots.run(() => completeDigest(deps, channelId, digestId, parts.length, logger), true);
}

/**
 * One part through the outbox, in a slot. A 429 narrows the slots; a short Retry-After is
 * waited out here, holding no slot, and the part tried again (the sender holds this channel
 * back until then, other channels go on); after `REFUSALS_WAITED_OUT`, it waits for a later run.
 */
async function sendPart(
  deps: DigestDeps,
  slots: DigestSlots,
  key: string,
): Promise<DeliveryResult> {
  for (let refusals = 0; ; refusals++) {
    const inlineRateLimitWaitMs = refusals < REFUSALS_WAITED_OUT ? INLINE_RATE_LIMIT_WAIT_MS : 0;
    // Every sender of a digest's parts holds the channel's digest lease, which covers them.
    const result = await slots.run(
      () => deps.outbox.deliver(key, { inlineRateLimitWaitMs, coveredByLease: true }),
      true,
    );
    if (result.status === "sent") slots.sent();
    if (result.status !== "waiting" || !result.refusedNow) return result;
    slots.limited();
    const waitMs = result.refusedNow.retryAfterMs;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
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
 * Closes a digest Slack will not take: for good (channel gone, archived, bot not in it) or
 * parked after the same refusal too often. The channel shows the error, and the articles of
 * parts never posted are released so the next digest shows them.
 */
async function abandonDigest(
  deps: DigestDeps,
  channelId: string,
  digestId: number,
  code: string,
  kind: "permanent" | "parked",
) {
  const now = deps.clock().toISOString();
  await inTransaction(deps.db, async (trx) => {
    await markDigestAbandoned(trx, digestId, kind === "parked" ? "parked" : "failed", code);
    await setChannelDigestError(trx, channelId, { code, kind }, now);
  });
}

import { listDueChannels } from "../store/channels.js";
import { digestStatus, listClaimedDigests } from "../store/digests.js";
import {
  type DigestDeps,
  type DigestOutcome,
  type DueTime,
  digestLease,
  postDueHoldingLease,
  resumeClaimedHoldingLease,
} from "./digest-service.js";
import { createDigestSlots, type DigestSlots } from "./digest-slots.js";

/** The width scheduled digests get unless told otherwise (OPSFEED_DIGEST_CONCURRENCY's default). */
export const DEFAULT_DIGEST_CONCURRENCY = 32;

/**
 * How many channels one tick has under way per slot. A channel spends most of its digest
 * waiting between parts (about a second each), holding its lease but no slot, so many more
 * channels than slots must be under way to keep the slots busy; the bound keeps the leases
 * held (and renewed) at once, and so the database work, in proportion.
 */
export const CHANNELS_PER_SLOT = 8;

/**
 * One scheduler tick: goes on with digests left unfinished, and posts the digest of every
 * channel that is due, many channels at once in `slots` (each channel's parts stay in order
 * and paced). A channel is taken under its lease, and its due time is moved on
 * (compare-and-set) in the transaction claiming its digest, so of several processes exactly
 * one posts it, and a failure cannot make it repeat or skip. Ten thousand channels cost one
 * query a minute.
 */
export async function runDueDigests(
  deps: DigestDeps,
  maxWidth = DEFAULT_DIGEST_CONCURRENCY,
  slots: DigestSlots = createDigestSlots(maxWidth),
): Promise<Array<{ channelId: string; outcome: DigestOutcome }>> {
  const shared = { ...deps, slots };
  const now = deps.clock();
  const [claimed, due] = await Promise.all([
    listClaimedDigests(deps.db),
    listDueChannels(deps.db, now.toISOString()),
  ]);
  const results: Array<{ channelId: string; outcome: DigestOutcome }> = [];
  const dueIds = new Set(due.map((channel) => channel.channel_id));
  // A due channel's own unfinished digest is finished first by its scheduled run.
  const tasks: Array<() => Promise<void>> = [
    ...claimed
      .filter((digest) => !dueIds.has(digest.channelId))
      .map((digest) => () => resume(shared, digest)),
    ...due.map((channel) => () => post(shared, { channel, now }, results)),
  ];
  const worker = async () => {
    for (let task = tasks.shift(); task; task = tasks.shift()) {
      try {
        await task();
      } catch (error) {
        // One channel's failure (a lost connection) must not end the others' run; what it
        // left, claimed or still due, the next tick of any process takes up.
        deps.logger.warn("a scheduled digest failed; the next tick goes on with it", { error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, maxWidth) * CHANNELS_PER_SLOT }, worker));
  return results;
}

async function resume(deps: DigestDeps, digest: { id: number; channelId: string }) {
  await deps.leases.run(digestLease(digest.channelId), async () =>
    (await digestStatus(deps.db, digest.id)) === "claimed"
      ? resumeClaimedHoldingLease(deps, digest.channelId, digest.id)
      : null,
  );
}

async function post(
  deps: DigestDeps,
  due: DueTime,
  results: Array<{ channelId: string; outcome: DigestOutcome }>,
) {
  const leased = await deps.leases.run(digestLease(due.channel.channel_id), () =>
    postDueHoldingLease(deps, due),
  );
  if (leased.held && leased.value) {
    results.push({ channelId: due.channel.channel_id, outcome: leased.value });
  }
}

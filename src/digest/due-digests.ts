import { listDueChannels } from "../store/channels.js";
import { advanceSchedule } from "./channel-schedule.js";
import {
  type DigestDeps,
  type DigestOutcome,
  digestLease,
  postHoldingLease,
  resumeUnfinishedDigests,
} from "./digest-service.js";

/** How many channels' digests are posted at once (each channel's parts stay in order). */
export const DIGEST_CONCURRENCY = 4;

/**
 * One scheduler tick: goes on with digests left unfinished, then posts the digest of every
 * channel that is due. A channel is taken under its lease, and its due time is moved on
 * (compare-and-set) before posting, so of several processes exactly one posts it, and a
 * failure cannot make it repeat. Ten thousand channels cost one query a minute.
 */
export async function runDueDigests(
  deps: DigestDeps,
): Promise<Array<{ channelId: string; outcome: DigestOutcome }>> {
  await resumeUnfinishedDigests(deps);
  const now = deps.clock();
  const due = await listDueChannels(deps.db, now.toISOString());
  const results: Array<{ channelId: string; outcome: DigestOutcome }> = [];
  const queue = [...due];
  const worker = async () => {
    for (let channel = queue.shift(); channel; channel = queue.shift()) {
      const leased = await deps.leases.run(digestLease(channel.channel_id), async () =>
        (await advanceSchedule(deps.db, channel, now))
          ? postHoldingLease(deps, channel.channel_id, "schedule")
          : null,
      );
      if (leased.held && leased.value) {
        results.push({ channelId: channel.channel_id, outcome: leased.value });
      }
    }
  };
  await Promise.all(Array.from({ length: DIGEST_CONCURRENCY }, worker));
  return results;
}

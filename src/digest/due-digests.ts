import { listDueChannels } from "../store/channels.js";
import { advanceSchedule } from "./channel-schedule.js";
import {
  type DigestDeps,
  type DigestOutcome,
  postChannelDigest,
  resumeUnfinishedDigests,
} from "./digest-service.js";

/** How many channels' digests are posted at once (each channel's parts stay in order). */
export const DIGEST_CONCURRENCY = 4;

/**
 * One scheduler tick: finishes digests left unfinished, then posts the digest of every
 * channel that is due, moving its schedule on first so a failure cannot make it repeat.
 * Ten thousand channels cost one query a minute, not ten thousand timers.
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
      await advanceSchedule(deps.db, channel, now);
      const outcome = await postChannelDigest(deps, channel.channel_id, "schedule");
      results.push({ channelId: channel.channel_id, outcome });
    }
  };
  await Promise.all(Array.from({ length: DIGEST_CONCURRENCY }, worker));
  return results;
}

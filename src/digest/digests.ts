import type { PollOutcome } from "../feeds/poller.js";
import { disableSchedule, getChannelSchedule, setChannelSchedule } from "./channel-schedule.js";
import {
  type DigestDeps,
  type DigestOutcome,
  type DigestTrigger,
  postChannelDigest,
  previewChannelDigest,
  resumeUnfinishedDigests,
} from "./digest-service.js";
import { createDigestSlots } from "./digest-slots.js";
import { runDueDigests } from "./due-digests.js";
import type { ChannelSchedule, DigestDays } from "./types.js";

/** How long `digest now` waits for its feeds to refresh before posting what it has. */
export const REFRESH_TIME_LIMIT_MS = 20_000;

/** A delayed digest due back within this is followed up in this process; later ones wait for a tick. */
const FOLLOW_UP_MAX_MS = 5 * 60_000;

/** What the digest use cases need beyond posting: the default zone and a way to refresh feeds. */
export interface DigestServiceDeps extends DigestDeps {
  defaultTimeZone: string;
  /** most Slack calls scheduled digests have in flight at once (OPSFEED_DIGEST_CONCURRENCY) */
  concurrency: number;
  /** fetches a channel's feeds now; no outcomes means the channel has no subscriptions */
  refreshChannelFeeds(channelId: string): Promise<PollOutcome[]>;
}

/** Digests and their schedules: the digest use cases, as the composition root builds them. */
export function createDigestService(deps: DigestServiceDeps) {
  const followUps = new Set<NodeJS.Timeout>();
  // One process's width, kept across ticks: a 429 narrows it for the next tick too.
  const slots = createDigestSlots(deps.concurrency);
  /**
   * Goes on with a delayed digest when its wait is over (a short rate limit, a confirmation),
   * instead of at the next tick; the tick still covers it if this process stops meanwhile.
   */
  const followUp = (channelId: string, retryAt: string | null) => {
    if (retryAt === null) return;
    const delay = Math.max(0, Date.parse(retryAt) - deps.clock().getTime());
    if (delay > FOLLOW_UP_MAX_MS) return;
    const timer = setTimeout(() => {
      followUps.delete(timer);
      postChannelDigest(deps, channelId, "command", 0).catch((error) =>
        deps.logger.warn("could not go on with a delayed digest", { channel: channelId, error }),
      );
    }, delay);
    timer.unref();
    followUps.add(timer);
  };

  return {
    /** posts a channel's digest now, exactly once */
    post: (channelId: string, trigger: DigestTrigger) =>
      postChannelDigest(deps, channelId, trigger),

    /**
     * `digest now`: refreshes the channel's feeds (bounded: a slow feed server must not hold
     * the digest; its poll finishes in the background), then posts the digest.
     */
    async postNow(channelId: string): Promise<DigestOutcome | { status: "no-subscriptions" }> {
      let timer: NodeJS.Timeout | undefined;
      const refreshed = await Promise.race([
        deps.refreshChannelFeeds(channelId),
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), REFRESH_TIME_LIMIT_MS);
        }),
      ]);
      clearTimeout(timer);
      if (refreshed !== null && refreshed.length === 0) return { status: "no-subscriptions" };
      const outcome = await postChannelDigest(deps, channelId, "command");
      if (outcome.status === "delayed") followUp(channelId, outcome.retryAt);
      return outcome;
    },

    /** the messages the channel's digest would be now, posting and storing nothing */
    preview: (channelId: string) => previewChannelDigest(deps, channelId),

    /** one scheduler tick: unfinished digests, then every due channel's */
    runDue: () => runDueDigests(deps, deps.concurrency, slots),

    /** finishes digests left unfinished by a crash or an outage */
    resumeUnfinished: () => resumeUnfinishedDigests(deps),

    /** the channel's schedule, or null */
    schedule: (channelId: string): Promise<ChannelSchedule | null> =>
      getChannelSchedule(deps.db, channelId),

    /** sets the channel's digest time; days and zone left null stay as they were */
    setSchedule: (
      channelId: string,
      change: { hour: number; minute: number; days: DigestDays | null; timeZone: string | null },
    ): Promise<ChannelSchedule> =>
      setChannelSchedule(deps.db, channelId, change, deps.defaultTimeZone, deps.clock()),

    /** cancels follow-ups not yet due (at shutdown: the next tick of any process takes over) */
    close() {
      for (const timer of followUps) clearTimeout(timer);
      followUps.clear();
    },

    /** stops the channel's scheduled digest */
    disableSchedule: (channelId: string) => disableSchedule(deps.db, channelId, deps.clock()),
  };
}

/** The digest use cases. */
export type DigestService = ReturnType<typeof createDigestService>;

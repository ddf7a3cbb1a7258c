import type { Channel } from "../../db/schema.js";
import {
  advanceNextDigestAt,
  disableChannelDigest,
  getChannel,
  insertChannelIfMissing,
  upsertChannelSchedule,
} from "../store/channels.js";
import type { Db } from "../store/database.js";
import { nextDigestAt } from "./schedule.js";
import type { ChannelSchedule, DigestDays } from "./types.js";

/** The schedule a channel gets with its first subscription: 09:00 on weekdays. */
export const DEFAULT_DIGEST_SCHEDULE = { hour: 9, minute: 0, days: "weekdays" } as const;

/** A channel's stored row as the schedule `digest` shows. */
export function scheduleOf(row: Channel): ChannelSchedule {
  return {
    enabled: row.digest_enabled === 1,
    hour: row.digest_hour,
    minute: row.digest_minute,
    days: row.digest_days === "daily" ? "daily" : "weekdays",
    timeZone: row.time_zone,
    nextDigestAt: row.next_digest_at,
    lastDigestAt: row.last_digest_at,
    lastErrorCode: row.last_error_code,
    lastErrorKind: row.last_error_kind === "parked" ? "parked" : "permanent",
  };
}

/** A channel's schedule, or null when it has none yet. */
export async function getChannelSchedule(
  db: Db,
  channelId: string,
): Promise<ChannelSchedule | null> {
  const row = await getChannel(db, channelId);
  return row ? scheduleOf(row) : null;
}

/**
 * Gives a channel the default schedule (09:00 weekdays in `timeZone`) unless it has one;
 * returns the schedule when it was created now, else null.
 */
export async function ensureDefaultSchedule(
  db: Db,
  channelId: string,
  timeZone: string,
  now: Date,
): Promise<ChannelSchedule | null> {
  const next = nextDigestAt({ ...DEFAULT_DIGEST_SCHEDULE, timeZone }, now).toISOString();
  const created = await insertChannelIfMissing(
    db,
    channelId,
    { ...DEFAULT_DIGEST_SCHEDULE, timeZone, nextDigestAt: next },
    now.toISOString(),
  );
  return created ? getChannelSchedule(db, channelId) : null;
}

/**
 * Sets a channel's digest time; days and zone left out (null) stay as they were (or take the
 * defaults for a channel without a schedule). Turns the digest on and computes the next one.
 */
export async function setChannelSchedule(
  db: Db,
  channelId: string,
  change: { hour: number; minute: number; days: DigestDays | null; timeZone: string | null },
  defaultTimeZone: string,
  now: Date,
): Promise<ChannelSchedule> {
  const current = await getChannelSchedule(db, channelId);
  const days = change.days ?? current?.days ?? DEFAULT_DIGEST_SCHEDULE.days;
  const timeZone = change.timeZone ?? current?.timeZone ?? defaultTimeZone;
  const schedule = { hour: change.hour, minute: change.minute, days, timeZone };
  const next = nextDigestAt(schedule, now).toISOString();
  await upsertChannelSchedule(
    db,
    channelId,
    { ...schedule, nextDigestAt: next },
    now.toISOString(),
  );
  return (await getChannelSchedule(db, channelId)) as ChannelSchedule;
}

/** Stops a channel's scheduled digests (`digest now` still works); false if it had none. */
export async function disableSchedule(db: Db, channelId: string, now: Date): Promise<boolean> {
  return disableChannelDigest(db, channelId, now.toISOString());
}

/**
 * Moves a due channel's next digest past `now`; false when another process already took
 * this due time. Computing from `now` (not from the missed time) is what makes a digest
 * missed while opsfeed was down caught up once, not once per missed day or minute.
 */
export async function advanceSchedule(db: Db, channel: Channel, now: Date): Promise<boolean> {
  if (channel.next_digest_at === null) return false;
  const next = nextDigestAt(scheduleOf(channel), now).toISOString();
  return advanceNextDigestAt(
    db,
    channel.channel_id,
    channel.next_digest_at,
    next,
    now.toISOString(),
  );
}

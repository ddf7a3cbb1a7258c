import type { Channel } from "../../db/schema.js";
import type { Db } from "../store/database.js";
import { type DigestDays, nextDigestAt } from "./schedule.js";

/** The schedule a channel gets with its first subscription: 09:00 on weekdays. */
export const DEFAULT_DIGEST_SCHEDULE = { hour: 9, minute: 0, days: "weekdays" } as const;

/** A channel's digest schedule and state, as `digest` shows it. */
export interface ChannelSchedule {
  enabled: boolean;
  hour: number;
  minute: number;
  days: DigestDays;
  timeZone: string;
  nextDigestAt: string | null;
  lastDigestAt: string | null;
  lastErrorCode: string | null;
}

function scheduleOf(row: Channel): ChannelSchedule {
  return {
    enabled: row.digest_enabled === 1,
    hour: row.digest_hour,
    minute: row.digest_minute,
    days: row.digest_days === "daily" ? "daily" : "weekdays",
    timeZone: row.time_zone,
    nextDigestAt: row.next_digest_at,
    lastDigestAt: row.last_digest_at,
    lastErrorCode: row.last_error_code,
  };
}

/** A channel's schedule, or null when it has none yet. */
export async function getChannelSchedule(
  db: Db,
  channelId: string,
): Promise<ChannelSchedule | null> {
  const row = await db
    .selectFrom("channels")
    .selectAll()
    .where("channel_id", "=", channelId)
    .executeTakeFirst();
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
  const inserted = await db
    .insertInto("channels")
    .values({
      channel_id: channelId,
      digest_enabled: 1,
      digest_hour: DEFAULT_DIGEST_SCHEDULE.hour,
      digest_minute: DEFAULT_DIGEST_SCHEDULE.minute,
      digest_days: DEFAULT_DIGEST_SCHEDULE.days,
      time_zone: timeZone,
      next_digest_at: next,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column("channel_id").doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0
    ? getChannelSchedule(db, channelId)
    : null;
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
  const next = nextDigestAt(
    { hour: change.hour, minute: change.minute, days, timeZone },
    now,
  ).toISOString();
  const values = {
    digest_enabled: 1 as const,
    digest_hour: change.hour,
    digest_minute: change.minute,
    digest_days: days,
    time_zone: timeZone,
    next_digest_at: next,
    updated_at: now.toISOString(),
  };
  await db
    .insertInto("channels")
    .values({ channel_id: channelId, created_at: now.toISOString(), ...values })
    .onConflict((oc) => oc.column("channel_id").doUpdateSet(values))
    .execute();
  return (await getChannelSchedule(db, channelId)) as ChannelSchedule;
}

/** Stops a channel's scheduled digests (`digest now` still works); false if it had none. */
export async function disableChannelDigest(db: Db, channelId: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable("channels")
    .set({ digest_enabled: 0, next_digest_at: null, updated_at: now.toISOString() })
    .where("channel_id", "=", channelId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Channels whose scheduled digest is due at `now`. */
export async function listDueChannels(db: Db, now: Date): Promise<Channel[]> {
  return db
    .selectFrom("channels")
    .selectAll()
    .where("digest_enabled", "=", 1)
    .where("next_digest_at", "<=", now.toISOString())
    .orderBy("next_digest_at")
    .execute();
}

/**
 * Moves a due channel's next digest past `now`. Computing from `now` (not from the missed
 * time) is what makes a digest missed while opsfeed was down caught up once, not once per
 * missed day or minute.
 */
export async function advanceSchedule(db: Db, channel: Channel, now: Date): Promise<void> {
  const schedule = scheduleOf(channel);
  const next = nextDigestAt(schedule, now).toISOString();
  await db
    .updateTable("channels")
    .set({ next_digest_at: next, updated_at: now.toISOString() })
    .where("channel_id", "=", channel.channel_id)
    .execute();
}

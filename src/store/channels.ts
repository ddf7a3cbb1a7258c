import type { Channel } from "../../db/schema.js";
import type { DigestDays } from "../digest/types.js";
import type { Db } from "./database.js";

/** A channel's digest schedule as stored: time, days, zone and when the next one is due. */
export interface StoredSchedule {
  hour: number;
  minute: number;
  days: DigestDays;
  timeZone: string;
  nextDigestAt: string;
}

/** A channel's row (schedule and digest state), if it has one. */
export async function getChannel(db: Db, channelId: string): Promise<Channel | undefined> {
  return db
    .selectFrom("channels")
    .selectAll()
    .where("channel_id", "=", channelId)
    .executeTakeFirst();
}

function scheduleColumns(schedule: StoredSchedule) {
  return {
    digest_enabled: 1 as const,
    digest_hour: schedule.hour,
    digest_minute: schedule.minute,
    digest_days: schedule.days,
    time_zone: schedule.timeZone,
    next_digest_at: schedule.nextDigestAt,
  };
}

/** Gives a channel this schedule unless it has one; true when it was created now. */
export async function insertChannelIfMissing(
  db: Db,
  channelId: string,
  schedule: StoredSchedule,
  now: string,
): Promise<boolean> {
  const inserted = await db
    .insertInto("channels")
    .values({
      channel_id: channelId,
      ...scheduleColumns(schedule),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column("channel_id").doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Sets (and turns on) a channel's schedule, creating the channel's row if needed. */
export async function upsertChannelSchedule(
  db: Db,
  channelId: string,
  schedule: StoredSchedule,
  now: string,
): Promise<void> {
  const values = { ...scheduleColumns(schedule), updated_at: now };
  await db
    .insertInto("channels")
    .values({ channel_id: channelId, created_at: now, ...values })
    .onConflict((oc) => oc.column("channel_id").doUpdateSet(values))
    .execute();
}

/** Turns a channel's scheduled digest off; false if it had no schedule. */
export async function disableChannelDigest(
  db: Db,
  channelId: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable("channels")
    .set({ digest_enabled: 0, next_digest_at: null, updated_at: now })
    .where("channel_id", "=", channelId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Channels whose scheduled digest is due at `now`, the longest waiting first. */
export async function listDueChannels(db: Db, now: string): Promise<Channel[]> {
  // Dialect difference: Postgres returns ties in another order than SQLite; break them by channel.
  return db
    .selectFrom("channels")
    .selectAll()
    .where("digest_enabled", "=", 1)
    .where("next_digest_at", "<=", now)
    .orderBy("next_digest_at")
    .orderBy("channel_id")
    .execute();
}

/**
 * Moves a channel's next digest from `expected` to `next`, only if no one moved it meanwhile:
 * of several processes seeing the same due time, exactly one gets it.
 */
export async function advanceNextDigestAt(
  db: Db,
  channelId: string,
  expected: string,
  next: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable("channels")
    .set({ next_digest_at: next, updated_at: now })
    .where("channel_id", "=", channelId)
    .where("next_digest_at", "=", expected)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Records that a channel's digest went out (claimed at `digestedAt`), clearing any error. */
export async function markChannelDigested(
  db: Db,
  channelId: string,
  digestedAt: string,
  now: string,
): Promise<void> {
  await db
    .updateTable("channels")
    .set({
      last_digest_at: digestedAt,
      last_error_code: null,
      last_error_kind: null,
      updated_at: now,
    })
    .where("channel_id", "=", channelId)
    .execute();
}

/** Records the Slack error that stopped a channel's digest: for good, or parked after retries. */
export async function setChannelDigestError(
  db: Db,
  channelId: string,
  error: { code: string; kind: "permanent" | "parked" },
  now: string,
): Promise<void> {
  await db
    .updateTable("channels")
    .set({ last_error_code: error.code, last_error_kind: error.kind, updated_at: now })
    .where("channel_id", "=", channelId)
    .execute();
}

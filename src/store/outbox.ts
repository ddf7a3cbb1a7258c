import type { OutboxRow } from "../../db/schema.js";
import type { OutgoingMessage } from "../delivery/types.js";
import type { Db } from "./database.js";
import { reusableQuery } from "./reusable-query.js";

/*
 * The outbox: every message opsfeed posts on its own, by idempotency key, with what became
 * of it. Writing a message here (in the transaction of the change that causes it) is what
 * makes it posted exactly once, whoever sends it and however often they crash.
 */

/** Records messages to send; a key already recorded is left as it is. The keys added now. */
export async function insertOutgoing(
  db: Db,
  messages: OutgoingMessage[],
  now: string,
): Promise<string[]> {
  const added: string[] = [];
  for (const message of messages) {
    const result = await db
      .insertInto("outbox")
      .values({
        key: message.key,
        kind: message.kind,
        channel_id: message.channelId,
        user_id: message.userId,
        thread_ts: message.threadTs,
        payload: JSON.stringify(message.payload),
        status: "pending",
        created_at: now,
      })
      .onConflict((oc) => oc.column("key").doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) added.push(message.key);
  }
  return added;
}

// The three statements every posted message runs, built once (see reusableQuery).
const outgoingOf = reusableQuery((db, values: { key: string }) =>
  db.selectFrom("outbox").selectAll().where("key", "=", values.key),
);
const attemptingOf = reusableQuery((db, values: { key: string; channelId: string }) =>
  db
    .updateTable("outbox")
    .set({ uncertain: 1, channel_id: values.channelId })
    .where("key", "=", values.key),
);
const sentOf = reusableQuery((db, values: { key: string; ts: string; now: string }) =>
  db
    .updateTable("outbox")
    .set({
      status: "sent",
      ts: values.ts,
      sent_at: values.now,
      uncertain: 0,
      next_attempt_at: null,
    })
    .where("key", "=", values.key),
);

/** One outbox message, if recorded. */
export async function getOutgoing(db: Db, key: string): Promise<OutboxRow | undefined> {
  return (await outgoingOf(db, { key }))[0];
}

/** Notes, before calling Slack, that an attempt is under way: until told otherwise, its outcome is unknown. */
export async function markAttempting(db: Db, key: string, channelId: string): Promise<void> {
  await attemptingOf(db, { key, channelId });
}

/** Records that Slack accepted the message. */
export async function markSent(db: Db, key: string, ts: string, now: string): Promise<void> {
  await sentOf(db, { key, ts, now });
}

/**
 * Records an attempt that did not post: not before `nextAttemptAt`, with the refusal counted
 * when Slack answered with an error; `uncertain` stays 1 when Slack may have posted it.
 */
export async function markDeferred(
  db: Db,
  key: string,
  change: {
    nextAttemptAt: string;
    uncertain: boolean;
    error: string | null;
    attempts: number;
  },
): Promise<void> {
  await db
    .updateTable("outbox")
    .set({
      next_attempt_at: change.nextAttemptAt,
      uncertain: change.uncertain ? 1 : 0,
      last_error: change.error,
      attempts: change.attempts,
    })
    .where("key", "=", key)
    .execute();
}

/** Closes a message that will never be posted: 'failed' (permanent error) or 'parked'. */
export async function markAbandoned(
  db: Db,
  key: string,
  status: "failed" | "parked",
  error: string,
  attempts: number,
): Promise<void> {
  await db
    .updateTable("outbox")
    .set({ status, last_error: error, attempts, uncertain: 0, next_attempt_at: null })
    .where("key", "=", key)
    .execute();
}

/**
 * Sets the thread of a waiting reply whose parent was not posted yet when it was recorded
 * (a realtime post's update): once set, it stays.
 */
export async function setOutgoingThread(db: Db, key: string, threadTs: string): Promise<void> {
  await db
    .updateTable("outbox")
    .set({ thread_ts: threadTs })
    .where("key", "=", key)
    .where("status", "=", "pending")
    .where("thread_ts", "is", null)
    .execute();
}

/**
 * Pending messages other than digest parts and realtime posts (their digest, or their channel's
 * realtime delivery, sends them in order), due by `now`.
 */
export async function listDueOutgoing(db: Db, now: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom("outbox")
    .select("key")
    .where("status", "=", "pending")
    .where("kind", "not in", ["digest", "realtime"])
    .where((eb) => eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", now)]))
    .orderBy("created_at")
    .orderBy("key")
    .limit(limit)
    .execute();
  return rows.map((row) => row.key);
}

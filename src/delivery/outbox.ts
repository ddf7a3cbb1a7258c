import type { OutboxRow } from "../../db/schema.js";
import type { Logger } from "../logger.js";
import type { Db } from "../store/database.js";
import {
  getOutgoing,
  insertOutgoing,
  listDueOutgoing,
  markAbandoned,
  markAttempting,
  markDeferred,
  markSent,
} from "../store/outbox.js";
import type { Leases } from "./leases.js";
import type {
  DeliveryOptions,
  DeliveryResult,
  MessagePayload,
  MessageSender,
  OutgoingMessage,
  SendOutcome,
} from "./types.js";

/** Refusals with the same error after which a message is parked instead of retried. */
export const MAX_SAME_FAILURES = 5;

/**
 * How long after an attempt with an unknown outcome opsfeed waits before asking Slack whether
 * the message landed: long enough for a post Slack accepted late to show in its history.
 */
export const CONFIRM_DELAY_MS = 10_000;

/** A Retry-After this short is waited out in place; a longer one defers the message. */
export const INLINE_RATE_LIMIT_WAIT_MS = 5_000;

/** Waits before retrying a refused message: 30 s, doubling, at most 15 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(15 * 60_000, 30_000 * 2 ** Math.max(0, Math.min(attempts - 1, 10)));
}

/** What the outbox needs: storage, time, the sender, leases, and a way to wait. */
export interface OutboxDeps {
  db: Db;
  clock: () => Date;
  logger: Logger;
  sender: MessageSender;
  leases: Leases;
  sleep?: (ms: number) => Promise<void>;
  /** told of every message Slack accepted, once, whichever attempt it was (metrics) */
  onSent?: (message: { key: string; kind: string }) => void;
}

/** The delivery protocol every message opsfeed posts on its own goes through. */
export interface Outbox {
  /** records messages (inside the caller's transaction, when given one); the keys added now */
  enqueue(db: Db, messages: OutgoingMessage[]): Promise<string[]>;
  /** sends one recorded message unless it was sent, confirming first when an attempt's outcome is unknown */
  deliver(key: string, options?: DeliveryOptions): Promise<DeliveryResult>;
  /** sends every due message other than digest parts; how many were looked at */
  deliverDue(): Promise<number>;
}

/**
 * Creates the outbox. A message is written under its idempotency key before it is sent; an
 * attempt is marked uncertain before Slack is called and stays so when the outcome is unknown
 * (timeout, reset, 5xx, a crash), and such a message is looked for in Slack by the key in its
 * metadata before it is ever sent again. Nothing is retried blindly. A 429 defers only that
 * message; the same refusal `MAX_SAME_FAILURES` times parks it.
 */
export function createOutbox(deps: OutboxDeps): Outbox {
  const { db, logger } = deps;
  const sleep = deps.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const at = (ms: number) => new Date(deps.clock().getTime() + ms).toISOString();

  const waiting = (
    reason: "rate-limited" | "unconfirmed" | "retrying" | "busy",
    retryAt: string | null,
    error: string | null,
  ): DeliveryResult => ({ status: "waiting", reason, retryAt, error });

  /** Records what an attempt came to, and says what that means for the message. */
  const settle = async (row: OutboxRow, outcome: SendOutcome): Promise<DeliveryResult> => {
    const log = logger.child({ message: row.key, channel: row.channel_id ?? row.user_id });
    switch (outcome.kind) {
      case "sent":
        await markSent(db, row.key, outcome.ts, deps.clock().toISOString());
        log.info("message posted", { kind: row.kind, ts: outcome.ts });
        deps.onSent?.({ key: row.key, kind: row.kind });
        return { status: "sent", ts: outcome.ts };
      case "rate-limited": {
        const retryAt = at(outcome.retryAfterMs);
        await markDeferred(db, row.key, {
          nextAttemptAt: retryAt,
          uncertain: false,
          error: row.last_error,
          attempts: row.attempts,
        });
        log.warn("Slack rate-limited a message; it waits", { retryAt });
        return waiting("rate-limited", retryAt, null);
      }
      case "not-sent": {
        const retryAt = at(retryDelayMs(1));
        await markDeferred(db, row.key, {
          nextAttemptAt: retryAt,
          uncertain: false,
          error: outcome.code,
          attempts: row.attempts,
        });
        log.warn("could not reach Slack; the message waits", { error: outcome.code, retryAt });
        return waiting("retrying", retryAt, outcome.code);
      }
      case "unknown": {
        const retryAt = at(CONFIRM_DELAY_MS);
        await markDeferred(db, row.key, {
          nextAttemptAt: retryAt,
          uncertain: true,
          error: outcome.code,
          attempts: row.attempts,
        });
        log.warn("Slack did not confirm a message; it will be looked for before any retry", {
          error: outcome.code,
        });
        return waiting("unconfirmed", retryAt, outcome.code);
      }
      case "rejected": {
        const attempts = row.last_error === outcome.code ? row.attempts + 1 : 1;
        if (outcome.permanent) {
          await markAbandoned(db, row.key, "failed", outcome.code, attempts);
          log.warn("Slack refused a message for good", { error: outcome.code });
          return { status: "failed", error: outcome.code };
        }
        if (attempts >= MAX_SAME_FAILURES) {
          await markAbandoned(db, row.key, "parked", outcome.code, attempts);
          log.error("message parked after repeated refusals", { error: outcome.code, attempts });
          return { status: "parked", error: outcome.code, attempts };
        }
        const retryAt = at(retryDelayMs(attempts));
        await markDeferred(db, row.key, {
          nextAttemptAt: retryAt,
          uncertain: false,
          error: outcome.code,
          attempts,
        });
        log.warn("Slack refused a message; it will be tried again", {
          error: outcome.code,
          attempts,
          retryAt,
        });
        return waiting("retrying", retryAt, outcome.code);
      }
    }
  };

  /** One attempt at a message, holding its lease. */
  const attempt = async (key: string, callerWaitsMs?: number): Promise<DeliveryResult> => {
    const row = await getOutgoing(db, key);
    if (!row) throw new Error(`no outbox message ${key}`);
    if (row.status === "sent") return { status: "sent", ts: row.ts ?? "" };
    if (row.status === "failed") return { status: "failed", error: row.last_error ?? "" };
    if (row.status === "parked") {
      return { status: "parked", error: row.last_error ?? "", attempts: row.attempts };
    }
    if (row.next_attempt_at !== null && row.next_attempt_at > deps.clock().toISOString()) {
      const reason = row.uncertain ? "unconfirmed" : row.last_error ? "retrying" : "rate-limited";
      return waiting(reason, row.next_attempt_at, row.last_error);
    }
    if (row.uncertain && row.channel_id) {
      const found = await deps.sender.find({
        channelId: row.channel_id,
        threadTs: row.thread_ts,
        key,
        since: row.created_at,
      });
      if (found.kind === "found") {
        logger.info("message found in Slack, not posting it again", { message: key });
        return settle(row, { kind: "sent", ts: found.ts });
      }
      if (found.kind === "unknown") {
        return settle(row, { kind: "unknown", code: row.last_error ?? "unconfirmed" });
      }
    }
    let channelId = row.channel_id;
    if (channelId === null) {
      const opened = await deps.sender.openDirect(row.user_id ?? "");
      if (opened.kind !== "opened") {
        // Nothing was posted yet, whatever became of the conversation.
        return settle(row, opened.kind === "unknown" ? { ...opened, kind: "not-sent" } : opened);
      }
      channelId = opened.channelId;
    }
    // Written before Slack is called: a crash from here on leaves the message to be looked for.
    await markAttempting(db, key, channelId);
    const payload = JSON.parse(row.payload) as MessagePayload;
    let outcome: SendOutcome;
    for (let retries = 0; ; retries++) {
      try {
        outcome = await deps.sender.post({ channelId, threadTs: row.thread_ts, key, payload });
      } catch (error) {
        outcome = { kind: "unknown", code: (error as Error).message || "send_failed" };
      }
      if (outcome.kind !== "rate-limited") break;
      if (
        callerWaitsMs !== undefined &&
        callerWaitsMs > 0 &&
        outcome.retryAfterMs <= callerWaitsMs
      ) {
        // Nothing was posted. Due again at once: the caller holds the message's channel and
        // waits Retry-After out in memory (the sender holds the channel back meanwhile).
        await markDeferred(db, key, {
          nextAttemptAt: deps.clock().toISOString(),
          uncertain: false,
          error: row.last_error,
          attempts: row.attempts,
        });
        return {
          status: "waiting",
          reason: "rate-limited",
          retryAt: at(outcome.retryAfterMs),
          error: null,
          refusedNow: { retryAfterMs: outcome.retryAfterMs },
        };
      }
      if (
        callerWaitsMs !== undefined ||
        outcome.retryAfterMs > INLINE_RATE_LIMIT_WAIT_MS ||
        retries >= 2
      )
        break;
      await sleep(outcome.retryAfterMs);
    }
    return settle({ ...row, channel_id: channelId }, outcome);
  };

  const deliver = async (key: string, options?: DeliveryOptions): Promise<DeliveryResult> => {
    if (options?.coveredByLease) return attempt(key, options.inlineRateLimitWaitMs);
    const leased = await deps.leases.run(`outbox:${key}`, () =>
      attempt(key, options?.inlineRateLimitWaitMs),
    );
    return leased.held ? leased.value : waiting("busy", null, null);
  };

  return {
    enqueue: (trx, messages) => insertOutgoing(trx, messages, deps.clock().toISOString()),
    deliver,
    async deliverDue() {
      const keys = await listDueOutgoing(db, deps.clock().toISOString(), 200);
      for (const key of keys) {
        try {
          await deliver(key);
        } catch (error) {
          logger.warn("could not deliver a message", { message: key, error });
        }
      }
      return keys.length;
    },
  };
}

/*
 * The delivery model: what opsfeed posts on its own, and what can become of a post. Imports
 * nothing, so every layer may use it.
 */

/** A rendered Slack message (what `chat.postMessage` takes besides channel and thread). */
export type MessagePayload = { text: string } & Record<string, unknown>;

/** What kind of message an outbox entry is, for logs, metrics and who delivers it. */
export type MessageKind = "digest" | "notice" | "dm" | "thread" | "realtime";

/** A message to post, recorded in the outbox under its idempotency key before it is sent. */
export interface OutgoingMessage {
  /** unique per message ever meant to be posted: the same key is posted at most once */
  key: string;
  kind: MessageKind;
  /** the channel; null for a direct message (`userId`), whose conversation opens at send time */
  channelId: string | null;
  userId: string | null;
  threadTs: string | null;
  payload: MessagePayload;
}

/**
 * What became of one attempt to post, as far as opsfeed can know:
 * - sent: Slack accepted it;
 * - rate-limited: Slack refused it for now (429), nothing was posted;
 * - not-sent: the request never reached Slack (connection refused), nothing was posted;
 * - unknown: Slack may have accepted it (timeout, reset, 5xx): ask before sending again;
 * - rejected: Slack answered with an error code; `permanent` when retrying cannot help.
 */
export type SendOutcome =
  | { kind: "sent"; ts: string }
  | { kind: "rate-limited"; retryAfterMs: number }
  | { kind: "not-sent"; code: string }
  | { kind: "unknown"; code: string }
  | { kind: "rejected"; code: string; permanent: boolean };

/** Whether a message is already in Slack, or Slack could not be asked. */
export type FindOutcome = { kind: "found"; ts: string } | { kind: "absent" } | { kind: "unknown" };

/** How messages reach Slack (the Slack layer implements it); never throws. */
export interface MessageSender {
  /** posts `payload` tagged with `key` in its metadata */
  post(message: {
    channelId: string;
    threadTs: string | null;
    key: string;
    payload: MessagePayload;
  }): Promise<SendOutcome>;
  /** looks for a message tagged with `key` posted since `since` (ISO) */
  find(message: {
    channelId: string;
    threadTs: string | null;
    key: string;
    since: string;
  }): Promise<FindOutcome>;
  /** the direct-message conversation with a user */
  openDirect(userId: string): Promise<{ kind: "opened"; channelId: string } | SendOutcome>;
}

/** What delivering an outbox message came to. */
export type DeliveryResult =
  | { status: "sent"; ts: string }
  /** not sent yet, and opsfeed will try again at `retryAt` */
  | {
      status: "waiting";
      reason: "rate-limited" | "unconfirmed" | "retrying" | "busy";
      retryAt: string | null;
      error: string | null;
      /**
       * Slack answered 429 just now, with a Retry-After short enough for the caller to wait
       * out itself (`inlineRateLimitWaitMs`): the message is due again once it has waited.
       */
      refusedNow?: { retryAfterMs: number };
    }
  | { status: "failed"; error: string }
  | { status: "parked"; error: string; attempts: number };

/** How one delivery may go. */
export interface DeliveryOptions {
  /**
   * A 429 with a Retry-After up to this long comes back at once (`refusedNow`) for the caller
   * to wait out without holding anything; unset, the outbox waits out short ones in place.
   */
  inlineRateLimitWaitMs?: number;
  /**
   * The caller holds a lease that covers this message (a digest part, under its channel's
   * digest lease): no one else can be sending it, so the message's own lease is not taken.
   */
  coveredByLease?: boolean;
}

import type { webApi } from "@slack/bolt";
import type { FindOutcome, MessageSender, SendOutcome } from "../../delivery/types.js";
import type { Logger } from "../../logger.js";
import type { SlackHttp, WebApiAnswer } from "../http.js";
import { DIGEST_METADATA_EVENT, OPSFEED_MESSAGE_EVENT } from "../ids.js";
import { isPermanentSlackError, PERMANENT_SLACK_ERRORS, slackErrorCode } from "../slack-errors.js";

/** Slack allows about one message a second in a channel. */
export const PAUSE_BETWEEN_MESSAGES_MS = 1100;

/** Waits long enough between two messages to one channel. */
export function pauseBetweenMessages(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_MESSAGES_MS));
}

/** How many messages one look into a channel's history reads, and how many pages at most. */
const HISTORY_PAGE = 100;
const HISTORY_PAGES = 10;

/** Looks this much further back than the message's creation, for clock skew. */
const LOOKBACK_MARGIN_MS = 5 * 60_000;

/** Network errors that mean the request never reached Slack. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH"]);

/** The network error code under a failed fetch (`cause` chains), if any. */
function networkCode(error: unknown): string | null {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    if (typeof e.code === "string" && /^E[A-Z]+$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return null;
}

/**
 * What a failed Web API call means for a post: a Slack error code (rejected, permanent or
 * not), a 429 (rate-limited; only this method and channel wait), a request that never left
 * (not sent), or anything after which Slack may have acted (unknown: timeout, reset, 5xx).
 */
export function classifySlackFailure(error: unknown): SendOutcome {
  const failure = error as {
    code?: string;
    retryAfter?: number;
    statusCode?: number;
    original?: unknown;
    message?: string;
  };
  const code = slackErrorCode(error);
  if (code !== null) return { kind: "rejected", code, permanent: isPermanentSlackError(error) };
  switch (failure.code) {
    case "slack_webapi_rate_limited_error":
      return { kind: "rate-limited", retryAfterMs: (failure.retryAfter ?? 1) * 1000 };
    case "slack_webapi_http_error":
      return (failure.statusCode ?? 500) >= 500
        ? { kind: "unknown", code: `http_${failure.statusCode}` }
        : { kind: "not-sent", code: `http_${failure.statusCode}` };
    case "slack_webapi_request_error":
      return thrownOutcome(failure.original);
    default:
      return { kind: "unknown", code: failure.message ?? "request_failed" };
  }
}

/**
 * What a post's answer read by `SlackHttp.callJson` means, as `classifySlackFailure` reads the
 * WebClient's errors: sent with its ts, refused with Slack's code, 429, or (5xx, no answer
 * to read) unknown.
 */
export function postOutcome(answer: WebApiAnswer): SendOutcome {
  const { status, body } = answer;
  if (status === 429)
    return { kind: "rate-limited", retryAfterMs: (answer.retryAfterSeconds ?? 1) * 1000 };
  if (status >= 500) return { kind: "unknown", code: `http_${status}` };
  if (status < 200 || status > 299) return { kind: "not-sent", code: `http_${status}` };
  if (body === null) return { kind: "unknown", code: "invalid_response" };
  if (body.ok !== true) {
    const code = typeof body.error === "string" ? body.error : "error";
    return { kind: "rejected", code, permanent: PERMANENT_SLACK_ERRORS.has(code) };
  }
  return typeof body.ts === "string"
    ? { kind: "sent", ts: body.ts }
    : { kind: "unknown", code: "no_ts" };
}

/** What a post that threw means: never sent (refused connection…) or unknown (timeout, reset). */
function thrownOutcome(error: unknown): SendOutcome {
  const network = networkCode(error);
  if (network && NOT_SENT_CODES.has(network)) return { kind: "not-sent", code: network };
  const name = (error as { name?: string } | undefined)?.name;
  return {
    kind: "unknown",
    code: name === "TimeoutError" ? "timeout" : (network ?? "request_failed"),
  };
}

/** The idempotency key a message's metadata carries, if it is one of opsfeed's. */
function keyOf(metadata: unknown): string | null {
  const { event_type, event_payload } = (metadata ?? {}) as {
    event_type?: string;
    event_payload?: { key?: unknown; digest_id?: unknown; part?: unknown };
  };
  if (typeof event_payload?.key === "string") return event_payload.key;
  // Digest parts posted before the outbox existed carry their digest and part only.
  if (event_type === DIGEST_METADATA_EVENT && event_payload?.digest_id !== undefined) {
    return `digest:${Number(event_payload.digest_id)}:${Number(event_payload.part)}`;
  }
  return null;
}

/**
 * Posts opsfeed's messages with `chat.postMessage` (link unfurling off), the idempotency key
 * in the message metadata, and finds them again by that key in the channel's history or the
 * thread's replies. A 429 holds back only that method in that channel until Retry-After;
 * nothing is retried here (the outbox decides).
 */
export function createMessageSender(
  client: webApi.WebClient,
  http: Pick<SlackHttp, "callJson">,
  logger: Logger,
): MessageSender {
  // Real time, not the app clock: Slack counts its Retry-After in real seconds.
  const notBefore = new Map<string, number>();

  const limited = (method: string, channel: string): SendOutcome | null => {
    const wait = (notBefore.get(`${method}:${channel}`) ?? 0) - Date.now();
    return wait > 0 ? { kind: "rate-limited", retryAfterMs: wait } : null;
  };
  /** A 429 holds this method in this channel back until its Retry-After has passed. */
  const heldBackBy = (method: string, channel: string, outcome: SendOutcome): SendOutcome => {
    if (outcome.kind === "rate-limited") {
      notBefore.set(`${method}:${channel}`, Date.now() + outcome.retryAfterMs);
    }
    return outcome;
  };
  const failed = (method: string, channel: string, error: unknown): SendOutcome =>
    heldBackBy(method, channel, classifySlackFailure(error));

  return {
    async post({ channelId, threadTs, key, payload }) {
      const held = limited("chat.postMessage", channelId);
      if (held) return held;
      const { metadata, ...message } = payload as {
        metadata?: { event_type: string; event_payload?: object };
      };
      const tagged = metadata
        ? { event_type: metadata.event_type, event_payload: { ...metadata.event_payload, key } }
        : { event_type: OPSFEED_MESSAGE_EVENT, event_payload: { key } };
      let outcome: SendOutcome;
      try {
        // Posted without the WebClient (see `SlackHttp.callJson`), on the client's URL and token.
        const answer = await http.callJson({
          apiUrl: client.slackApiUrl,
          method: "chat.postMessage",
          token: client.token ?? "",
          body: {
            ...message,
            channel: channelId,
            ...(threadTs ? { thread_ts: threadTs } : {}),
            metadata: tagged,
            unfurl_links: false,
            unfurl_media: false,
          },
        });
        outcome = postOutcome(answer);
      } catch (error) {
        outcome = thrownOutcome(error);
      }
      return heldBackBy("chat.postMessage", channelId, outcome);
    },

    async find({ channelId, threadTs, key, since }): Promise<FindOutcome> {
      const method = threadTs ? "conversations.replies" : "conversations.history";
      if (limited(method, channelId)) return { kind: "unknown" };
      const oldest = String(Math.floor((Date.parse(since) - LOOKBACK_MARGIN_MS) / 1000));
      let cursor: string | undefined;
      try {
        for (let page = 0; page < HISTORY_PAGES; page++) {
          const args = {
            channel: channelId,
            include_all_metadata: true,
            oldest,
            limit: HISTORY_PAGE,
            ...(cursor ? { cursor } : {}),
          };
          const answer = threadTs
            ? await client.conversations.replies({ ...args, ts: threadTs })
            : await client.conversations.history(args);
          const found = answer.messages?.find((message) => keyOf(message.metadata) === key);
          if (found?.ts) return { kind: "found", ts: found.ts };
          cursor = answer.response_metadata?.next_cursor || undefined;
          if (!cursor) return { kind: "absent" };
        }
        return { kind: "absent" };
      } catch (error) {
        const outcome = failed(method, channelId, error);
        // A channel Slack refuses to show for good will refuse the post too: nothing doubles.
        if (outcome.kind === "rejected" && outcome.permanent) {
          logger.warn("could not read the channel to confirm a message", {
            channel: channelId,
            slackError: outcome.code,
          });
          return { kind: "absent" };
        }
        return { kind: "unknown" };
      }
    },

    async openDirect(userId) {
      const held = limited("conversations.open", userId);
      if (held) return held;
      try {
        const opened = await client.conversations.open({ users: userId });
        const channelId = opened.channel?.id;
        return channelId ? { kind: "opened", channelId } : { kind: "not-sent", code: "no_channel" };
      } catch (error) {
        return failed("conversations.open", userId, error);
      }
    },
  };
}

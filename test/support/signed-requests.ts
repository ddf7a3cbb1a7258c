import { createHmac, randomBytes } from "node:crypto";
import type { FakeSlack, RecordedCall, RecordedResponse } from "./fake-slack.js";

/** Slack's request signature: "v0=" + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  const hmac = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`);
  return `v0=${hmac.digest("hex")}`;
}

/** Where the app listens and what it shares with Slack. */
export interface SlackRequesterOptions {
  /** The app's base URL, e.g. http://127.0.0.1:PORT (requests go to `${appUrl}${path}`). */
  appUrl: string;
  signingSecret: string;
  fakeSlack: FakeSlack;
  /** Workspace id in every payload (default "T1", the fake's auth.test team). */
  teamId?: string;
  /** Bolt's endpoint (default "/slack/events"). */
  path?: string;
}

/** The app's HTTP answer to one request. */
export interface HttpAnswer {
  status: number;
  body: string;
  /** The body parsed as JSON, or null when it is empty, not JSON or not typed as JSON. */
  json: unknown | null;
}

/** An answer to an interaction, with the ids Slack put in the payload. */
export interface InteractionAnswer extends HttpAnswer {
  /** Id of the response_url in the payload (null for interactions inside a modal). */
  responseUrlId: string | null;
  triggerId: string;
}

/** Who ran a slash command, and where. */
export interface CommandContext {
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  retryNum?: number;
  /** Slack's trigger id for the command; the same one again replays the same command. */
  triggerId?: string;
}

/** The first reply a user saw to a command, whichever way the app sent it. */
export interface CommandReply {
  via: "ack" | "response_url" | "ephemeral";
  /** What the user reads: block text when there are blocks, else the text field (see textOf). */
  text: string;
  blocks: unknown[];
  /** The message as sent: ack body, response_url body, or chat.postEphemeral arguments. */
  raw: Record<string, unknown>;
}

/** Plays Slack's servers towards the app: signed commands, interactions and events. */
export interface SlackRequester {
  command(
    text: string,
    ctx?: CommandContext,
  ): Promise<{ answer: HttpAnswer; responseUrlId: string; triggerId: string }>;
  blockActions(
    payload: Record<string, unknown>,
    opts?: { retryNum?: number },
  ): Promise<InteractionAnswer>;
  viewSubmission(payload: Record<string, unknown>): Promise<InteractionAnswer>;
  /**
   * An Events API `event_callback`. `eventId` repeats an earlier delivery's id, as Slack does
   * when it retries (with `retryNum`); without it every call is a new event.
   */
  event(
    event: Record<string, unknown>,
    opts?: { retryNum?: number; retryReason?: string; eventId?: string },
  ): Promise<HttpAnswer & { eventId: string }>;
  /**
   * A message shortcut (`message_action`) on `message` in a channel, as Slack sends it when
   * someone picks the shortcut from a message's menu; the payload's fields win.
   */
  messageAction(
    callbackId: string,
    message: Record<string, unknown>,
    payload?: Record<string, unknown>,
  ): Promise<InteractionAnswer>;
  /** Posts `body` with exactly these headers: for unsigned, forged or stale requests. */
  raw(body: string, headers: Record<string, string>): Promise<HttpAnswer>;
  /** Content-Type plus Slack's timestamp and signature headers for `body`. */
  signedHeaders(body: string, timestamp?: number): Record<string, string>;
  /**
   * The first reply to a command, wherever the app sent it: the HTTP answer body if it carries
   * text/blocks, else a post to its response_url, else a chat.postEphemeral to that user and
   * channel made after the command was sent.
   */
  replyTo(
    sent: { answer: HttpAnswer; responseUrlId: string },
    ctx?: { userId?: string; channelId?: string },
    timeoutMs?: number,
  ): Promise<CommandReply>;
}

const DEFAULT_USER = { id: "UALICE", name: "alice" };
const DEFAULT_CHANNEL = { id: "C_OPS", name: "ops" };
const API_APP_ID = "A_OPSFEED";
/** Slack's deprecated verification token; Bolt ignores it but Slack still sends it. */
const VERIFICATION_TOKEN = "verification-token-unused";

/** A requester bound to one app and one fake Slack. */
export function createSlackRequester(options: SlackRequesterOptions): SlackRequester {
  const { signingSecret, fakeSlack } = options;
  const teamId = options.teamId ?? "T1";
  const endpoint = `${options.appUrl.replace(/\/+$/, "")}${options.path ?? "/slack/events"}`;
  /** For replyTo: who sent each command, where, and how far the fake's sequence had got. */
  const sentCommands = new Map<string, { seq: number; userId: string; channelId: string }>();

  function signedHeaders(body: string, timestamp = Math.floor(Date.now() / 1000)) {
    return {
      // Exactly these strings: Bolt's HTTPReceiver compares the content type verbatim.
      "content-type": body.trimStart().startsWith("{")
        ? "application/json"
        : "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": slackSignature(signingSecret, timestamp, body),
    };
  }

  async function raw(body: string, headers: Record<string, string>): Promise<HttpAnswer> {
    const response = await fetch(endpoint, { method: "POST", headers, body });
    const text = await response.text();
    // As Slack reads an answer: a body is a message object only when it says it is JSON.
    const isJson = (response.headers.get("content-type") ?? "").startsWith("application/json");
    return { status: response.status, body: text, json: isJson ? parseJson(text) : null };
  }

  function retryHeaders(retryNum?: number, retryReason = "http_timeout"): Record<string, string> {
    return retryNum === undefined
      ? {}
      : { "x-slack-retry-num": String(retryNum), "x-slack-retry-reason": retryReason };
  }

  function sendSigned(body: string, extra: Record<string, string> = {}): Promise<HttpAnswer> {
    return raw(body, { ...signedHeaders(body), ...extra });
  }

  /** Interactions travel as a form with one field, payload=<json>. */
  function sendPayload(payload: Record<string, unknown>, extra?: Record<string, string>) {
    return sendSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), extra);
  }

  function userOf(payload: Record<string, unknown>): Record<string, unknown> {
    return {
      id: DEFAULT_USER.id,
      username: DEFAULT_USER.name,
      name: DEFAULT_USER.name,
      team_id: teamId,
      ...asRecord(payload.user),
    };
  }

  /** The fields every interaction payload carries, whatever its type. */
  function interactionFields(triggerId: string): Record<string, unknown> {
    return {
      team: { id: teamId, domain: "test-team" },
      api_app_id: API_APP_ID,
      token: VERIFICATION_TOKEN,
      trigger_id: triggerId,
      is_enterprise_install: false,
      enterprise: null,
    };
  }

  return {
    signedHeaders,
    raw,

    async command(text, ctx = {}) {
      const userId = ctx.userId ?? DEFAULT_USER.id;
      const channelId = ctx.channelId ?? DEFAULT_CHANNEL.id;
      const responseUrl = fakeSlack.newResponseUrl();
      const triggerId = ctx.triggerId ?? newTriggerId();
      // Field order and names as Slack sends a slash command.
      const body = new URLSearchParams({
        token: VERIFICATION_TOKEN,
        team_id: teamId,
        team_domain: "test-team",
        channel_id: channelId,
        channel_name:
          ctx.channelName ?? (ctx.channelId ? channelId.toLowerCase() : DEFAULT_CHANNEL.name),
        user_id: userId,
        user_name: ctx.userName ?? (ctx.userId ? userId.toLowerCase() : DEFAULT_USER.name),
        command: "/opsfeed",
        text,
        api_app_id: API_APP_ID,
        is_enterprise_install: "false",
        response_url: responseUrl.url,
        trigger_id: triggerId,
      }).toString();
      sentCommands.set(responseUrl.id, { seq: fakeSlack.lastSeq(), userId, channelId });
      const answer = await sendSigned(body, retryHeaders(ctx.retryNum));
      return { answer, responseUrlId: responseUrl.id, triggerId };
    },

    async blockActions(payload, opts = {}) {
      const triggerId = newTriggerId();
      // Actions inside a modal have no response_url; message actions do.
      const responseUrl = payload.view === undefined ? fakeSlack.newResponseUrl() : null;
      const full: Record<string, unknown> = {
        type: "block_actions",
        ...interactionFields(triggerId),
        actions: [],
        ...(responseUrl
          ? {
              container: { type: "message", channel_id: DEFAULT_CHANNEL.id, is_ephemeral: false },
              channel: DEFAULT_CHANNEL,
              response_url: responseUrl.url,
            }
          : {}),
        ...payload,
        user: userOf(payload),
      };
      const answer = await sendPayload(full, retryHeaders(opts.retryNum));
      return { ...answer, responseUrlId: responseUrl?.id ?? null, triggerId };
    },

    async viewSubmission(payload) {
      const triggerId = newTriggerId();
      const view = {
        id: "V_SUBMITTED",
        team_id: teamId,
        type: "modal",
        callback_id: "",
        private_metadata: "",
        state: { values: {} },
        hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString("hex")}`,
        app_id: API_APP_ID,
        bot_id: "BBOT",
        ...asRecord(payload.view),
      };
      const full: Record<string, unknown> = {
        type: "view_submission",
        ...interactionFields(triggerId),
        response_urls: [],
        ...payload,
        user: userOf(payload),
        view,
      };
      const answer = await sendPayload(full);
      return { ...answer, responseUrlId: null, triggerId };
    },

    async messageAction(callbackId, message, payload = {}) {
      const triggerId = newTriggerId();
      const responseUrl = fakeSlack.newResponseUrl();
      const channel =
        asRecord(payload.channel).id === undefined ? DEFAULT_CHANNEL : payload.channel;
      const full: Record<string, unknown> = {
        type: "message_action",
        ...interactionFields(triggerId),
        callback_id: callbackId,
        action_ts: `${Math.floor(Date.now() / 1000)}.000001`,
        response_url: responseUrl.url,
        message_ts: message.ts,
        message: { type: "message", ...message },
        channel,
        ...payload,
        user: userOf(payload),
      };
      const answer = await sendPayload(full);
      return { ...answer, responseUrlId: responseUrl.id, triggerId };
    },

    async event(event, opts = {}) {
      const nowSeconds = Math.floor(Date.now() / 1000);
      const eventTs = `${nowSeconds}.${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
      const inner: Record<string, unknown> = { event_ts: eventTs, ...event };
      const eventId = opts.eventId ?? `Ev${randomBytes(5).toString("hex").toUpperCase()}`;
      if ((inner.type === "message" || inner.type === "app_mention") && inner.ts === undefined) {
        inner.ts = inner.event_ts;
      }
      const envelope = {
        token: VERIFICATION_TOKEN,
        team_id: teamId,
        context_team_id: teamId,
        context_enterprise_id: null,
        api_app_id: API_APP_ID,
        event: inner,
        type: "event_callback",
        event_id: eventId,
        event_time: nowSeconds,
        authorizations: [
          {
            enterprise_id: null,
            team_id: teamId,
            user_id: "UBOT",
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
      };
      const answer = await sendSigned(
        JSON.stringify(envelope),
        retryHeaders(opts.retryNum, opts.retryReason),
      );
      return { ...answer, eventId };
    },

    async replyTo(sent, ctx = {}, timeoutMs = 5000) {
      const fromAck = ackReply(sent.answer);
      if (fromAck) return fromAck;
      const command = sentCommands.get(sent.responseUrlId);
      const userId = ctx.userId ?? command?.userId ?? DEFAULT_USER.id;
      const channelId = ctx.channelId ?? command?.channelId ?? DEFAULT_CHANNEL.id;
      const afterSeq = command?.seq ?? 0;
      const isEphemeralReply = (c: RecordedCall): boolean =>
        c.method === "chat.postEphemeral" &&
        c.outcome.ok &&
        c.seq > afterSeq &&
        c.args.user === userId &&
        c.args.channel === channelId;
      // Whichever of the two came first in the fake's sequence is the first reply.
      const first = await fakeSlack.waitUntil<RecordedCall | RecordedResponse>(
        () =>
          [
            fakeSlack.responses.find((r) => r.id === sent.responseUrlId),
            fakeSlack.calls.find(isEphemeralReply),
          ]
            .filter((x): x is RecordedCall | RecordedResponse => x !== undefined)
            .sort((a, b) => a.seq - b.seq)[0],
        `a reply to the command (HTTP status ${sent.answer.status}, empty ack) on response_url ${sent.responseUrlId} or by chat.postEphemeral to ${userId} in ${channelId}`,
        timeoutMs,
      );
      if ("method" in first) return reply("ephemeral", first.args);
      return reply("response_url", first.body);
    },
  };
}

/**
 * Everything a user reads in a message or a list of blocks: block text (section text and fields,
 * headers, context, rich text, buttons and select placeholders, input labels) and attachments.
 * A message's `text` counts only when it has no blocks, since Slack then shows text as a fallback
 * for notifications only. Pieces are joined with newlines.
 */
export function textOf(blocksOrMessage: unknown): string {
  const pieces: string[] = [];
  if (Array.isArray(blocksOrMessage)) {
    collectBlocks(blocksOrMessage, pieces);
    return pieces.join("\n");
  }
  const message = asRecord(blocksOrMessage);
  const blocks = Array.isArray(message.blocks) ? message.blocks : [];
  if (blocks.length > 0) collectBlocks(blocks, pieces);
  else if (typeof message.text === "string" && message.text !== "") pieces.push(message.text);
  if (Array.isArray(message.attachments)) {
    for (const value of message.attachments) {
      const attachment = asRecord(value);
      for (const key of ["pretext", "title", "text"]) {
        const piece = attachment[key];
        if (typeof piece === "string" && piece !== "") pieces.push(piece);
      }
      if (Array.isArray(attachment.fields)) {
        for (const field of attachment.fields) {
          const { title, value: fieldValue } = asRecord(field);
          if (typeof title === "string") pieces.push(title);
          if (typeof fieldValue === "string") pieces.push(fieldValue);
        }
      }
      if (Array.isArray(attachment.blocks)) collectBlocks(attachment.blocks, pieces);
    }
  }
  return pieces.join("\n");
}

function collectBlocks(blocks: unknown[], pieces: string[]): void {
  for (const value of blocks) {
    const block = asRecord(value);
    switch (block.type) {
      case "section":
        pushText(block.text, pieces);
        if (Array.isArray(block.fields)) for (const field of block.fields) pushText(field, pieces);
        collectElement(block.accessory, pieces);
        break;
      case "header":
        pushText(block.text, pieces);
        break;
      case "context":
        // Image elements carry only alt_text, which is not shown.
        if (Array.isArray(block.elements))
          for (const element of block.elements) pushText(element, pieces);
        break;
      case "actions":
        if (Array.isArray(block.elements)) {
          for (const element of block.elements) collectElement(element, pieces);
        }
        break;
      case "input":
        pushText(block.label, pieces);
        collectElement(block.element, pieces);
        pushText(block.hint, pieces);
        break;
      case "markdown":
        if (typeof block.text === "string") pieces.push(block.text);
        break;
      case "rich_text":
        collectRichText(block.elements, pieces);
        break;
      case "image":
        pushText(block.title, pieces);
        break;
      default:
        break;
    }
  }
}

/** The visible part of an interactive element: a button's label, a select's placeholder or choice. */
function collectElement(value: unknown, pieces: string[]): void {
  const element = asRecord(value);
  if (element.type === "button") pushText(element.text, pieces);
  else {
    pushText(element.placeholder, pieces);
    pushText(asRecord(element.initial_option).text, pieces);
  }
}

function collectRichText(elements: unknown, pieces: string[]): void {
  if (!Array.isArray(elements)) return;
  const line: string[] = [];
  for (const value of elements) {
    const element = asRecord(value);
    if (element.type === "text" && typeof element.text === "string") line.push(element.text);
    else if (element.type === "link") line.push(String(element.text ?? element.url ?? ""));
    else if (element.type === "emoji") line.push(`:${String(element.name ?? "")}:`);
    else if (element.type === "user") line.push(`<@${String(element.user_id ?? "")}>`);
    else if (element.type === "channel") line.push(`<#${String(element.channel_id ?? "")}>`);
    else if (Array.isArray(element.elements)) collectRichText(element.elements, pieces);
  }
  if (line.length > 0) pieces.push(line.join(""));
}

function pushText(value: unknown, pieces: string[]): void {
  const object = asRecord(value);
  if (
    (object.type === "plain_text" || object.type === "mrkdwn") &&
    typeof object.text === "string"
  ) {
    if (object.text !== "") pieces.push(object.text);
  }
}

/** An ack body a user would see: JSON with text or blocks, or a plain string (ack("...")). */
function ackReply(answer: HttpAnswer): CommandReply | undefined {
  const json = answer.json;
  if (json !== null && typeof json === "object" && !Array.isArray(json)) {
    const body = json as Record<string, unknown>;
    const hasText = typeof body.text === "string" && body.text !== "";
    const hasBlocks = Array.isArray(body.blocks) && body.blocks.length > 0;
    return hasText || hasBlocks ? reply("ack", body) : undefined;
  }
  // ack("some text") answers with the bare string, which Slack shows as it is.
  return answer.body.trim() !== "" ? reply("ack", { text: answer.body }) : undefined;
}

function reply(via: CommandReply["via"], raw: Record<string, unknown>): CommandReply {
  return { via, text: textOf(raw), blocks: Array.isArray(raw.blocks) ? raw.blocks : [], raw };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function parseJson(text: string): unknown | null {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Shaped like Slack's: "<digits>.<digits>.<hex>". */
function newTriggerId(): string {
  const digits = () => String(Math.floor(Math.random() * 1e12));
  return `${digits()}.${digits()}.${randomBytes(16).toString("hex")}`;
}

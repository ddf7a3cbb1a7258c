import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One Web API call the app made, as the stand-in received it. */
export interface RecordedCall {
  method: string;
  /**
   * The call's arguments: form fields (or JSON body keys). Numbers and booleans stay the strings
   * the form carried ("10", "true"); blocks, attachments, metadata and view are JSON-parsed.
   * The token is not repeated here: see `token`.
   */
  args: Record<string, unknown>;
  /** Bearer token from the Authorization header, else the `token` field, else null. */
  token: string | null;
  /** Position in one sequence shared by calls and response_url posts (never reset). */
  seq: number;
  /** What the stand-in answered: HTTP status and, when not ok, the Slack error code. */
  outcome: { status: number; ok: boolean; error?: string };
  /** When the call arrived, in real ms since the epoch (Date.now, whatever `now` says). */
  at: number;
}

/** One post to a response_url handed out by `newResponseUrl()`. */
export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  seq: number;
}

/** A workspace member `users.info` knows about. */
export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  locale?: string;
  isBot?: boolean;
  deleted?: boolean;
  tz?: string;
}

/** A channel `conversations.info` knows about (others are made up from their id). */
export interface FakeChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** who is in it (`conversations.members`); unset: every known user */
  members?: string[];
  /** false: the bot is not in this private channel, so Slack will not show it (channel_not_found) */
  botIsMember?: boolean;
}

/** A way to make the next call(s) to a method fail. */
export interface FakeFailure {
  /** Slack error code, answered as 200 `{ ok: false, error }` unless `status` says otherwise. */
  error?: string;
  /** HTTP status; 429 carries a Retry-After header. */
  status?: number;
  /** Retry-After for a 429 (default 1). */
  retryAfterSeconds?: number;
  /** How many calls in a row fail (default 1). */
  times?: number;
  /**
   * Carry the call out first (a post lands in the channel), then fail the answer: the
   * "Slack accepted it and the answer was lost" case. With neither `status` nor `error`,
   * `reset` or `hang` says how the answer is lost.
   */
  afterAccepting?: boolean;
  /** Close the connection without answering. */
  reset?: boolean;
  /** Never answer (the connection stays open until the stand-in closes). */
  hang?: boolean;
  /** Answer only after this long. */
  delayMs?: number;
  /** Fail only calls whose arguments match (e.g. one channel); others pass untouched. */
  when?: (args: Record<string, unknown>) => boolean;
}

/** A message in a channel's history: one the app posted, or one a test put there for a user. */
export interface StoredMessage {
  ts: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  user: string;
  /** set on messages posted by an app (this one, or another bot); absent on a person's */
  bot_id?: string;
  reply_broadcast?: boolean;
  edited?: { user: string; ts: string };
}

/** A message a test puts into a channel as a user (or another app) would post it. */
export interface UserMessage {
  user: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** the ts of the thread's parent, for a reply in a thread */
  threadTs?: string;
  /** also send the reply to the channel ("Also send to #channel") */
  broadcast?: boolean;
  /** another app's message: its bot id */
  botId?: string;
}

/** Options for `startFakeSlack`. */
export interface FakeSlackOptions {
  /** When set, any other token is answered with `invalid_auth`. */
  botToken?: string;
  /** Users known from the start (the bot user UBOT is always known). */
  users?: FakeUser[];
  /** Clock for message timestamps, in ms (default Date.now). */
  now?: () => number;
  /** Every Web API call is answered this long after it arrived, as a real Slack is (default 0). */
  answerDelayMs?: number;
}

/** The running stand-in for Slack's Web API and response_urls. */
export interface FakeSlack {
  /** Base URL for `clientOptions.slackApiUrl`, ending in `/api/`. */
  apiUrl: string;
  /** A fresh response_url, as Slack puts in a slash command or interaction payload. */
  newResponseUrl(): { id: string; url: string };
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  responses: RecordedResponse[];
  /** The first call to `method` matching `predicate`, already recorded or still to come. */
  waitForCall(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs?: number,
  ): Promise<RecordedCall>;
  /** The first post to the response_url with this id, already recorded or still to come. */
  waitForResponse(id: string, timeoutMs?: number): Promise<RecordedResponse>;
  /** Resolves with the first non-undefined `find()`, re-checked after every call and response. */
  waitUntil<T>(find: () => T | undefined, description: string, timeoutMs?: number): Promise<T>;
  /** The `seq` of the latest call or response (0 before any). */
  lastSeq(): number;
  /** The most Web API calls (to `method`, or to any) that were being answered at once. */
  peakInFlight(method?: string): number;
  addUser(user: FakeUser): void;
  addChannel(channel: FakeChannel): void;
  /** Makes the next call(s) to `method` fail; several failNext calls queue up in order. */
  failNext(method: string, failure: FakeFailure): void;
  /** When false every method, auth.test included, answers `invalid_auth` (a revoked token). */
  setAuthValid(valid: boolean): void;
  /** The WebSocket URL `apps.connections.open` hands out (Socket Mode); unset, it answers invalid_auth. */
  setSocketModeUrl(url: string | null): void;
  /**
   * The messages in a channel's history (or a user's DM), oldest first, thread replies
   * included: what the app posted, and what tests put there with `postUserMessage`.
   */
  postedMessages(channel: string): StoredMessage[];
  /**
   * Puts a message someone wrote into a channel's history (in a thread with `threadTs`), as if
   * they had posted it; `botId` makes it another app's. Returns it with the ts Slack gave it.
   */
  postUserMessage(channel: string, message: UserMessage): StoredMessage;
  /**
   * The views Slack holds (modals opened, pushed or updated, and Home tabs), as it stores them:
   * with their `id`, `hash`, `private_metadata` and blocks; the latest version of each.
   */
  storedViews(): Record<string, unknown>[];
  /** Forgets calls, responses and pending failures; users, channels and history are kept. */
  reset(): void;
  close(): Promise<void>;
}

const TEAM_ID = "T1";
const TEAM_NAME = "Test Team";
const TEAM_URL = "https://test-team.slack.com/";
const BOT_USER_ID = "UBOT";
const BOT_ID = "BBOT";
const APP_ID = "A_OPSFEED";
const DEFAULT_WAIT_MS = 5000;
/** Fields Slack's clients JSON-encode inside form bodies. */
const JSON_FIELDS = new Set(["blocks", "attachments", "metadata", "view", "unfurls"]);
/** How often Slack lets an app post to one response_url. */
const RESPONSE_URL_MAX_USES = 5;

type Answer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };
type Args = Record<string, unknown>;

/** Starts the stand-in on an ephemeral loopback port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const now = options.now ?? Date.now;
  const calls: RecordedCall[] = [];
  let socketModeUrl: string | null = null;
  const responses: RecordedResponse[] = [];
  const users = new Map<string, FakeUser>();
  const channels = new Map<string, FakeChannel>();
  const history = new Map<string, StoredMessage[]>();
  const reactions = new Map<string, Set<string>>();
  const views = new Map<string, Record<string, unknown>>();
  const homeViewIds = new Map<string, string>();
  const failures = new Map<string, FakeFailure[]>();
  const responseUrlUses = new Map<string, number>();
  /** Answers held back forever (`hang`), ended when the stand-in closes. */
  const hanging = new Set<ServerResponse>();
  const wakers = new Set<() => void>();
  let seq = 0;
  const inFlight = new Map<string, number>();
  const peaks = new Map<string, number>();
  let lastTsMicros = 0;
  let authValid = true;
  let closed = false;

  users.set(BOT_USER_ID, { id: BOT_USER_ID, name: "opsfeed", realName: "opsfeed", isBot: true });
  for (const user of options.users ?? []) users.set(user.id, user);

  /** Slack's ts is post time in µs; stepping at least 100µs keeps it unique and increasing. */
  function nextTs(): string {
    lastTsMicros = Math.max(Math.floor(now()) * 1000, lastTsMicros + 100);
    return microsToTs(lastTsMicros);
  }

  function wake(): void {
    for (const waker of [...wakers]) waker();
  }

  function describeRecorded(): string {
    const callList = calls.length
      ? calls
          .map(
            (c) => `${c.method}${c.outcome.ok ? "" : `(${c.outcome.error ?? c.outcome.status})`}`,
          )
          .join(", ")
      : "none";
    const responseList = responses.length ? responses.map((r) => r.id).join(", ") : "none";
    return `Recorded API calls: ${callList}. Posts to response_urls: ${responseList}.`;
  }

  function waitUntil<T>(
    find: () => T | undefined,
    description: string,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        wakers.delete(waker);
      };
      const waker = (): void => {
        if (closed) {
          finish();
          reject(new Error(`Fake Slack closed while waiting for ${description}`));
          return;
        }
        const value = find();
        if (value !== undefined) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(
            `Timed out after ${timeoutMs}ms waiting for ${description}. ${describeRecorded()}`,
          ),
        );
      }, timeoutMs);
      wakers.add(waker);
    });
  }

  function takeFailure(method: string, args: Args): FakeFailure | undefined {
    const queue = failures.get(method);
    const index = queue?.findIndex((failure) => !failure.when || failure.when(args)) ?? -1;
    const failure = queue?.[index];
    if (!queue || !failure) return undefined;
    const remaining = (failure.times ?? 1) - 1;
    if (remaining > 0) queue[index] = { ...failure, times: remaining };
    else queue.splice(index, 1);
    return failure;
  }

  function failureAnswer(failure: FakeFailure): Answer {
    const status = failure.status ?? 200;
    if (status === 429) {
      return {
        status,
        body: { ok: false, error: failure.error ?? "ratelimited" },
        headers: { "retry-after": String(failure.retryAfterSeconds ?? 1) },
      };
    }
    return { status, body: { ok: false, error: failure.error ?? "fatal_error" } };
  }

  function channelHistory(channel: string): StoredMessage[] {
    let messages = history.get(channel);
    if (!messages) {
      messages = [];
      history.set(channel, messages);
    }
    return messages;
  }

  function findMessage(channel: string, ts: string): StoredMessage | undefined {
    return history.get(channel)?.find((m) => m.ts === ts);
  }

  /** A message as conversations.history / replies shows it. */
  function presentMessage(channel: string, message: StoredMessage, withMetadata: boolean): Args {
    const shown: Args = {
      type: "message",
      user: message.user,
      // A person's message has no bot_id or app_id; an app's has both (ours: APP_ID).
      ...(message.bot_id
        ? { bot_id: message.bot_id, app_id: message.bot_id === BOT_ID ? APP_ID : "A_OTHER" }
        : {}),
      team: TEAM_ID,
      text: message.text ?? "",
      ts: message.ts,
    };
    if (message.blocks) shown.blocks = message.blocks;
    if (message.attachments) shown.attachments = message.attachments;
    if (message.edited) shown.edited = message.edited;
    if (withMetadata && message.metadata !== undefined) shown.metadata = message.metadata;
    if (message.thread_ts) {
      shown.thread_ts = message.thread_ts;
      if (message.thread_ts !== message.ts) {
        shown.parent_user_id = findMessage(channel, message.thread_ts)?.user ?? BOT_USER_ID;
      }
    }
    const replies = (history.get(channel) ?? []).filter(
      (m) => m.thread_ts === message.ts && m.ts !== message.ts,
    );
    if (replies.length > 0) {
      const replyUsers = [...new Set(replies.map((reply) => reply.user))];
      shown.thread_ts = message.ts;
      shown.reply_count = replies.length;
      shown.reply_users = replyUsers;
      shown.reply_users_count = replyUsers.length;
      shown.latest_reply = replies.at(-1)?.ts;
    }
    const names = reactions.get(`${channel}:${message.ts}`);
    if (names?.size) {
      shown.reactions = [...names].map((name) => ({ name, users: [BOT_USER_ID], count: 1 }));
    }
    return shown;
  }

  function userObject(user: FakeUser, includeLocale: boolean): Args {
    const tz = user.tz ?? "UTC";
    const shown: Args = {
      id: user.id,
      team_id: TEAM_ID,
      name: user.name,
      deleted: user.deleted ?? false,
      real_name: user.realName ?? user.name,
      tz,
      tz_label: tz,
      tz_offset: tzOffsetSeconds(tz, now()),
      is_bot: user.isBot ?? false,
      is_app_user: false,
      profile: {
        real_name: user.realName ?? user.name,
        real_name_normalized: user.realName ?? user.name,
        display_name: user.name,
        display_name_normalized: user.name,
        team: TEAM_ID,
      },
    };
    // Slack only sends locale when asked with include_locale, and then always sends one.
    if (includeLocale) shown.locale = user.locale ?? "en-US";
    return shown;
  }

  function storeView(id: string, view: Args, extra: Args = {}): Args {
    const stored: Args = {
      type: "modal",
      private_metadata: "",
      callback_id: "",
      external_id: "",
      ...view,
      id,
      team_id: TEAM_ID,
      app_id: APP_ID,
      bot_id: BOT_ID,
      state: { values: {} },
      hash: `${Math.floor(now() / 1000)}.${randomBytes(4).toString("hex")}`,
      root_view_id: id,
      previous_view_id: null,
      ...extra,
    };
    views.set(id, stored);
    return stored;
  }

  function findView(args: Args): [string, Args] | undefined {
    if (typeof args.view_id === "string") {
      const view = views.get(args.view_id);
      return view ? [args.view_id, view] : undefined;
    }
    if (typeof args.external_id === "string") {
      for (const [id, view] of views) if (view.external_id === args.external_id) return [id, view];
    }
    return undefined;
  }

  /** The realistic answer to a successful-so-far call. */
  function answerMethod(method: string, args: Args): Answer {
    const ok = (body: Args = {}): Answer => ({ status: 200, body: { ok: true, ...body } });
    const fail = (error: string, extra: Args = {}): Answer => ({
      status: 200,
      body: { ok: false, error, ...extra },
    });

    switch (method) {
      case "auth.test":
        return ok({
          url: TEAM_URL,
          team: TEAM_NAME,
          user: "opsfeed",
          team_id: TEAM_ID,
          user_id: BOT_USER_ID,
          bot_id: BOT_ID,
          is_enterprise_install: false,
        });

      case "chat.postMessage": {
        if (typeof args.channel !== "string" || args.channel === "")
          return fail("channel_not_found");
        const problem = messageProblem(args, 50);
        if (problem) return problem;
        const channel = dmChannelFor(args.channel);
        const threadTs = typeof args.thread_ts === "string" ? args.thread_ts : undefined;
        // A thread_ts we never saw is accepted: it may be a user's message, which we do not store.
        const message: StoredMessage = {
          ts: nextTs(),
          user: BOT_USER_ID,
          bot_id: BOT_ID,
          ...messageContent(args),
        };
        if (threadTs) message.thread_ts = threadTs;
        if (threadTs && flag(args.reply_broadcast)) message.reply_broadcast = true;
        channelHistory(channel).push(message);
        return ok({
          channel,
          ts: message.ts,
          message: { ...presentMessage(channel, message, true) },
        });
      }

      case "chat.postEphemeral": {
        if (typeof args.channel !== "string" || args.channel === "")
          return fail("channel_not_found");
        if (typeof args.user !== "string" || args.user === "") return fail("user_not_found");
        const problem = messageProblem(args, 50);
        if (problem) return problem;
        // Ephemeral messages never enter the channel's history.
        return ok({ message_ts: nextTs() });
      }

      case "chat.update": {
        const channel = typeof args.channel === "string" ? dmChannelFor(args.channel) : "";
        const message = findMessage(channel, String(args.ts ?? ""));
        if (!message) return fail("message_not_found");
        const problem = messageProblem(args, 50);
        if (problem) return problem;
        // Like Slack, fields left out of the update keep their old values.
        Object.assign(message, messageContent(args));
        message.edited = { user: BOT_USER_ID, ts: nextTs() };
        return ok({
          channel,
          ts: message.ts,
          text: message.text ?? "",
          message: presentMessage(channel, message, true),
        });
      }

      case "chat.delete": {
        const channel = typeof args.channel === "string" ? dmChannelFor(args.channel) : "";
        const messages = history.get(channel) ?? [];
        const index = messages.findIndex((m) => m.ts === args.ts);
        if (index < 0) return fail("message_not_found");
        messages.splice(index, 1);
        return ok({ channel, ts: args.ts });
      }

      case "chat.getPermalink": {
        if (typeof args.channel !== "string" || typeof args.message_ts !== "string")
          return fail("invalid_arguments");
        return ok({
          channel: args.channel,
          permalink: `${TEAM_URL}archives/${args.channel}/p${args.message_ts.replace(".", "")}`,
        });
      }

      case "conversations.open": {
        const userIds = String(args.users ?? "")
          .split(",")
          .map((u) => u.trim())
          .filter(Boolean);
        const first = userIds[0];
        if (typeof args.channel === "string") return ok({ channel: { id: args.channel } });
        if (!first) return fail("users_list_not_supplied");
        // A one-to-one DM; group DMs get an id made of all members.
        const id = userIds.length === 1 ? `D${first}` : `G${userIds.join("")}`;
        return ok({ no_op: true, already_open: true, channel: { id } });
      }

      case "conversations.history": {
        const channel = typeof args.channel === "string" ? dmChannelFor(args.channel) : "";
        if (!channel) return fail("channel_not_found");
        const withMetadata = flag(args.include_all_metadata);
        // History shows thread parents and broadcast replies, not ordinary replies.
        const visible = (history.get(channel) ?? [])
          .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast)
          .filter((m) => inWindow(m.ts, args))
          .reverse();
        return page(visible, args, (m) => presentMessage(channel, m, withMetadata), "messages");
      }

      case "conversations.replies": {
        const channel = typeof args.channel === "string" ? dmChannelFor(args.channel) : "";
        const asked = findMessage(channel, String(args.ts ?? ""));
        if (!asked) return fail("thread_not_found");
        // ts may name any message of the thread; the thread is its parent's.
        const parentTs = asked.thread_ts ?? asked.ts;
        const parent = findMessage(channel, parentTs) ?? asked;
        const withMetadata = flag(args.include_all_metadata);
        // The parent always comes first, whatever the oldest/latest window; then the replies in it.
        const replies = (history.get(channel) ?? []).filter(
          (m) => m.thread_ts === parentTs && m.ts !== parentTs && inWindow(m.ts, args),
        );
        return page(
          [parent, ...replies],
          args,
          (m) => presentMessage(channel, m, withMetadata),
          "messages",
        );
      }

      case "conversations.info": {
        if (typeof args.channel !== "string" || args.channel === "")
          return fail("channel_not_found");
        const known = channels.get(args.channel);
        if (known?.botIsMember === false) return fail("channel_not_found");
        return ok({ channel: channelObject(args.channel, known) });
      }

      case "conversations.members": {
        if (typeof args.channel !== "string" || args.channel === "")
          return fail("channel_not_found");
        const known = channels.get(args.channel);
        if (known?.botIsMember === false) return fail("channel_not_found");
        const everyone = args.channel.startsWith("D")
          ? [args.channel.slice(1), BOT_USER_ID]
          : (known?.members ?? [...users.keys()]);
        // Members are plain user ids, not objects.
        return page(everyone, args, (member) => member as unknown as Args, "members");
      }

      case "users.info": {
        const user = users.get(String(args.user ?? ""));
        if (!user) return fail("user_not_found");
        return ok({ user: userObject(user, flag(args.include_locale)) });
      }

      case "views.open":
      case "views.push": {
        if (typeof args.trigger_id !== "string" || args.trigger_id === "")
          return fail("invalid_arguments", {
            response_metadata: { messages: ["[ERROR] missing required field: trigger_id"] },
          });
        const view = asObject(args.view);
        if (!view) return fail("invalid_arguments");
        const problem = viewProblem(view);
        if (problem) return problem;
        return ok({ view: storeView(newId("V"), view) });
      }

      case "views.update": {
        const found = findView(args);
        if (!found) return fail("not_found");
        const [id, current] = found;
        if (typeof args.hash === "string" && args.hash !== current.hash)
          return fail("hash_conflict");
        const view = asObject(args.view);
        if (!view) return fail("invalid_arguments");
        const problem = viewProblem(view);
        if (problem) return problem;
        return ok({ view: storeView(id, view) });
      }

      case "views.publish": {
        // Any user id will do: tests rarely addUser() everyone who opens the Home tab.
        if (typeof args.user_id !== "string" || args.user_id === "") return fail("user_not_found");
        const view = asObject(args.view);
        if (!view) return fail("invalid_arguments");
        const problem = viewProblem(view);
        if (problem) return problem;
        // Each user has one Home tab, so republishing keeps its id.
        const id = homeViewIds.get(args.user_id) ?? newId("V");
        homeViewIds.set(args.user_id, id);
        return ok({ view: storeView(id, view, { type: "home" }) });
      }

      case "reactions.add": {
        if (typeof args.name !== "string" || args.name === "") return fail("invalid_name");
        if (typeof args.channel !== "string" || typeof args.timestamp !== "string")
          return fail("bad_timestamp");
        const key = `${dmChannelFor(args.channel)}:${args.timestamp}`;
        const names = reactions.get(key) ?? new Set<string>();
        if (names.has(args.name)) return fail("already_reacted");
        names.add(args.name);
        reactions.set(key, names);
        return ok();
      }

      case "apps.connections.open":
        // Without a socket to hand out, answer as Slack does for a revoked app-level token.
        return socketModeUrl ? ok({ url: socketModeUrl }) : fail("invalid_auth");

      default:
        return fail("unknown_method");
    }
  }

  function answerAuthorized(method: string, args: Args, token: string | null): Answer {
    if (!token) return { status: 200, body: { ok: false, error: "not_authed" } };
    if (!authValid || (options.botToken !== undefined && token !== options.botToken)) {
      return { status: 200, body: { ok: false, error: "invalid_auth" } };
    }
    return answerMethod(method, args);
  }

  /** The answer to a call, and how it reaches the app: at once, late, cut off, or never. */
  function answerApi(
    method: string,
    args: Args,
    token: string | null,
  ): { answer: Answer; delivery: "answer" | "reset" | "hang"; delayMs: number } {
    const failure = takeFailure(method, args);
    if (!failure)
      return { answer: answerAuthorized(method, args, token), delivery: "answer", delayMs: 0 };
    const carriedOut = failure.afterAccepting ? answerAuthorized(method, args, token) : null;
    const lost = failure.reset ? "reset" : failure.hang ? "hang" : "answer";
    const answer =
      carriedOut && lost !== "answer" && failure.status === undefined && failure.error === undefined
        ? carriedOut
        : failureAnswer(failure);
    return { answer, delivery: lost, delayMs: failure.delayMs ?? 0 };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    const contentType = String(req.headers["content-type"] ?? "");

    const apiMatch = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (apiMatch?.[1]) {
      const method = apiMatch[1];
      const fields: Args = {
        ...Object.fromEntries(url.searchParams),
        ...(await parseBody(raw, contentType)),
      };
      const header = req.headers.authorization;
      const bearer = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : null;
      const token = bearer ?? (typeof fields.token === "string" ? fields.token : null);
      delete fields.token;
      for (const key of Object.keys(fields)) {
        if (JSON_FIELDS.has(key)) fields[key] = parseJsonField(fields[key]);
      }
      // Counted per method and under "" for all of them, until the answer is sent.
      for (const name of ["", method]) {
        const now = (inFlight.get(name) ?? 0) + 1;
        inFlight.set(name, now);
        peaks.set(name, Math.max(peaks.get(name) ?? 0, now));
      }
      res.once("close", () => {
        for (const name of ["", method]) inFlight.set(name, (inFlight.get(name) ?? 1) - 1);
      });
      const at = Date.now();
      const { answer, delivery, delayMs } = answerApi(method, fields, token);
      const error =
        delivery !== "answer"
          ? delivery
          : answer.body.ok === true
            ? undefined
            : String(answer.body.error ?? answer.status);
      seq += 1;
      calls.push({
        method,
        args: fields,
        token,
        seq,
        outcome: {
          status: delivery === "answer" ? answer.status : 0,
          ok: delivery === "answer" && answer.body.ok === true,
          ...(error ? { error } : {}),
        },
        at,
      });
      wake();
      const answerAfterMs = delayMs + (options.answerDelayMs ?? 0);
      if (answerAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, answerAfterMs));
      if (delivery === "reset") {
        req.socket.destroy();
        return;
      }
      if (delivery === "hang") {
        hanging.add(res);
        return;
      }
      sendJson(res, answer.status, answer.body, answer.headers);
      return;
    }

    const responseMatch = /^\/response\/([\w-]+)$/.exec(url.pathname);
    if (responseMatch?.[1] && req.method === "POST") {
      const id = responseMatch[1];
      const uses = responseUrlUses.get(id);
      if (uses === undefined) return sendJson(res, 404, { ok: false, error: "invalid_url" });
      if (uses >= RESPONSE_URL_MAX_USES)
        return sendJson(res, 404, { ok: false, error: "used_url" });
      responseUrlUses.set(id, uses + 1);
      seq += 1;
      responses.push({ id, body: await parseBody(raw, contentType), seq });
      wake();
      sendJson(res, 200, { ok: true });
      return;
    }

    sendJson(res, 404, { ok: false, error: "not_found" });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: String(error) });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${baseUrl}/api/`,
    newResponseUrl() {
      const id = newId("R");
      responseUrlUses.set(id, 0);
      return { id, url: `${baseUrl}/response/${id}` };
    },
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    responses,
    waitForCall(method, predicate = () => true, timeoutMs = DEFAULT_WAIT_MS) {
      return waitUntil(
        () => calls.find((c) => c.method === method && predicate(c)),
        `a call to ${method}${predicate.length > 0 ? " matching the predicate" : ""}`,
        timeoutMs,
      );
    },
    waitForResponse(id, timeoutMs = DEFAULT_WAIT_MS) {
      return waitUntil(
        () => responses.find((r) => r.id === id),
        `a post to response_url ${id}`,
        timeoutMs,
      );
    },
    waitUntil,
    lastSeq: () => seq,
    peakInFlight: (method) => peaks.get(method ?? "") ?? 0,
    addUser(user) {
      users.set(user.id, user);
    },
    storedViews: () => [...views.values()],
    addChannel(channel) {
      channels.set(channel.id, channel);
    },
    failNext(method, failure) {
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },
    setAuthValid(valid) {
      authValid = valid;
    },
    setSocketModeUrl(url) {
      socketModeUrl = url;
    },
    postedMessages(channel) {
      return (history.get(dmChannelFor(channel)) ?? []).map((m) => structuredClone(m));
    },
    postUserMessage(channel, message) {
      const stored: StoredMessage = { ts: nextTs(), user: message.user };
      if (message.text !== undefined) stored.text = message.text;
      if (message.blocks) stored.blocks = message.blocks;
      if (message.attachments) stored.attachments = message.attachments;
      if (message.threadTs) stored.thread_ts = message.threadTs;
      if (message.threadTs && message.broadcast) stored.reply_broadcast = true;
      if (message.botId) stored.bot_id = message.botId;
      channelHistory(dmChannelFor(channel)).push(stored);
      wake();
      return structuredClone(stored);
    },
    reset() {
      // Emptied in place so references taken from `fake.calls` stay live.
      calls.length = 0;
      responses.length = 0;
      failures.clear();
      peaks.clear();
    },
    async close() {
      if (closed) return;
      closed = true;
      wake();
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from fetch would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

function sendJson(
  res: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Form, JSON and multipart bodies, the three shapes Slack's clients send. */
async function parseBody(raw: Buffer, contentType: string): Promise<Args> {
  if (raw.length === 0) return {};
  if (contentType.startsWith("application/json")) {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    return asObject(parsed) ?? { body: parsed };
  }
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
    const fields: Args = {};
    for (const [key, value] of form) {
      fields[key] = typeof value === "string" ? value : { name: value.name, size: value.size };
    }
    return fields;
  }
  return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
}

function parseJsonField(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    // Left as sent, so the method can answer the way Slack does to malformed JSON.
    return value;
  }
}

function asObject(value: unknown): Args | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Args)
    : undefined;
}

/** Form fields carry booleans as strings; JSON bodies carry real ones. */
function flag(value: unknown): boolean {
  return value === true || value === "true" || value === "1" || value === 1;
}

function newId(prefix: string): string {
  return `${prefix}${randomBytes(6).toString("hex").toUpperCase()}`;
}

/** Posting to a user id lands in the DM with that user, as on Slack. */
function dmChannelFor(channel: string): string {
  return /^[UW]/.test(channel) ? `D${channel}` : channel;
}

function channelObject(id: string, known: FakeChannel | undefined): Args {
  if (id.startsWith("D")) {
    return { id, is_im: true, is_channel: false, is_private: true, user: id.slice(1) };
  }
  const isPrivate = known?.isPrivate ?? id.startsWith("G");
  return {
    id,
    name: known?.name ?? id.replace(/^C_?/, "").toLowerCase(),
    is_channel: !isPrivate,
    is_group: isPrivate,
    is_im: false,
    is_private: isPrivate,
    is_archived: false,
    is_member: true,
    context_team_id: TEAM_ID,
  };
}

function messageContent(args: Args): Partial<StoredMessage> {
  const content: Partial<StoredMessage> = {};
  if (typeof args.text === "string") content.text = args.text;
  if (Array.isArray(args.blocks)) content.blocks = args.blocks;
  if (Array.isArray(args.attachments)) content.attachments = args.attachments;
  if (args.metadata !== undefined) content.metadata = args.metadata;
  return content;
}

function microsToTs(micros: number): string {
  return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, "0")}`;
}

/** "1700000000.000100", "1700000000" and "1700000000.5" all as whole microseconds. */
function tsToMicros(ts: string): number {
  const [seconds = "0", fraction = ""] = ts.split(".");
  return Number(seconds) * 1e6 + Number(fraction.padEnd(6, "0").slice(0, 6));
}

/** conversations.history's oldest/latest window, exclusive unless `inclusive`. */
function inWindow(ts: string, args: Args): boolean {
  const at = tsToMicros(ts);
  const inclusive = flag(args.inclusive);
  if (typeof args.oldest === "string" || typeof args.oldest === "number") {
    const oldest = tsToMicros(String(args.oldest));
    if (inclusive ? at < oldest : at <= oldest) return false;
  }
  if (typeof args.latest === "string" || typeof args.latest === "number") {
    const latest = tsToMicros(String(args.latest));
    if (inclusive ? at > latest : at >= latest) return false;
  }
  return true;
}

/** Cursor pagination as Slack does it: `limit` (default 100) and an opaque next_cursor. */
function page<T>(items: T[], args: Args, present: (item: T) => Args, key: string): Answer {
  const limit = Math.max(1, Number(args.limit ?? 100) || 100);
  const cursor = typeof args.cursor === "string" && args.cursor !== "" ? args.cursor : undefined;
  const offset = cursor ? Number(Buffer.from(cursor, "base64").toString("utf8").slice(7)) || 0 : 0;
  const slice = items.slice(offset, offset + limit);
  const hasMore = offset + limit < items.length;
  return {
    status: 200,
    body: {
      ok: true,
      [key]: slice.map(present),
      has_more: hasMore,
      pin_count: 0,
      response_metadata: {
        next_cursor: hasMore ? Buffer.from(`offset:${offset + limit}`).toString("base64") : "",
      },
    },
  };
}

function tzOffsetSeconds(timeZone: string, atMs: number): number {
  try {
    const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(atMs)
      .find((p) => p.type === "timeZoneName")?.value;
    const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
    if (!match) return 0;
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
    return match[1] === "-" ? -seconds : seconds;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Validation of what real Slack would refuse, so a test fails where production would.

function invalid(error: string, problems: string[]): Answer {
  return {
    status: 200,
    body: {
      ok: false,
      error,
      errors: problems,
      response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
    },
  };
}

/** chat.postMessage / postEphemeral / update: text or blocks, valid blocks, valid metadata. */
function messageProblem(args: Args, maxBlocks: number): Answer | undefined {
  if (args.blocks !== undefined) {
    if (!Array.isArray(args.blocks))
      return invalid("invalid_blocks_format", ["blocks must be an array"]);
    const problems = blockProblems(args.blocks, maxBlocks, "/blocks");
    if (problems.length) return invalid("invalid_blocks", problems);
  }
  const hasText = typeof args.text === "string" && args.text.trim() !== "";
  const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
  const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) {
    return { status: 200, body: { ok: false, error: "no_text" } };
  }
  if (args.metadata !== undefined) {
    const metadata = asObject(args.metadata);
    if (!metadata || typeof metadata.event_type !== "string" || !asObject(metadata.event_payload)) {
      return { status: 200, body: { ok: false, error: "invalid_metadata_format" } };
    }
  }
  return undefined;
}

/** views.*: a title, few enough blocks, and private_metadata within 3000 characters. */
function viewProblem(view: Args): Answer | undefined {
  const problems: string[] = [];
  const type = view.type ?? "modal";
  if (type === "modal") {
    problems.push(...textProblems(view.title, "/view/title", 24, true));
    if (view.submit !== undefined)
      problems.push(...textProblems(view.submit, "/view/submit", 24, true));
    if (view.close !== undefined)
      problems.push(...textProblems(view.close, "/view/close", 24, true));
  }
  if (!Array.isArray(view.blocks))
    problems.push("missing required field: blocks [json-pointer:/view/blocks]");
  else problems.push(...blockProblems(view.blocks, 100, "/view/blocks"));
  if (typeof view.private_metadata === "string" && view.private_metadata.length > 3000) {
    problems.push("must be less than 3001 characters [json-pointer:/view/private_metadata]");
  }
  return problems.length ? invalid("invalid_arguments", problems) : undefined;
}

function textProblems(text: unknown, pointer: string, max: number, plainOnly = false): string[] {
  const object = asObject(text);
  if (!object) return [`must provide an object [json-pointer:${pointer}]`];
  if (object.type !== "plain_text" && (plainOnly || object.type !== "mrkdwn")) {
    return [`must be a valid enum value [json-pointer:${pointer}/type]`];
  }
  if (typeof object.text !== "string" || object.text.length === 0) {
    return [`must be more than 0 characters [json-pointer:${pointer}/text]`];
  }
  if (object.text.length > max) {
    return [`must be less than ${max + 1} characters [json-pointer:${pointer}/text]`];
  }
  return [];
}

/** Slack's documented Block Kit limits for the blocks this app is likely to send. */
function blockProblems(blocks: unknown[], maxBlocks: number, base: string): string[] {
  const problems: string[] = [];
  if (blocks.length > maxBlocks)
    problems.push(`no more than ${maxBlocks} items allowed [json-pointer:${base}]`);
  const blockIds = new Set<string>();
  blocks.forEach((value, index) => {
    const at = `${base}/${index}`;
    const block = asObject(value);
    if (!block || typeof block.type !== "string") {
      problems.push(`missing required field: type [json-pointer:${at}]`);
      return;
    }
    if (typeof block.block_id === "string") {
      if (block.block_id.length > 255)
        problems.push(`must be less than 256 characters [json-pointer:${at}/block_id]`);
      if (blockIds.has(block.block_id))
        problems.push(`duplicate block_id [json-pointer:${at}/block_id]`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case "section": {
        if (block.text === undefined && block.fields === undefined) {
          problems.push(`must provide text or fields [json-pointer:${at}]`);
        }
        if (block.text !== undefined)
          problems.push(...textProblems(block.text, `${at}/text`, 3000));
        if (Array.isArray(block.fields)) {
          if (block.fields.length > 10)
            problems.push(`no more than 10 items allowed [json-pointer:${at}/fields]`);
          block.fields.forEach((field, i) => {
            problems.push(...textProblems(field, `${at}/fields/${i}`, 2000));
          });
        }
        if (block.accessory !== undefined)
          problems.push(...elementProblems(block.accessory, `${at}/accessory`));
        break;
      }
      case "header":
        problems.push(...textProblems(block.text, `${at}/text`, 150, true));
        break;
      case "context":
        if (!Array.isArray(block.elements) || block.elements.length === 0) {
          problems.push(`must provide elements [json-pointer:${at}/elements]`);
        } else if (block.elements.length > 10) {
          problems.push(`no more than 10 items allowed [json-pointer:${at}/elements]`);
        }
        break;
      case "actions": {
        if (!Array.isArray(block.elements) || block.elements.length === 0) {
          problems.push(`must provide elements [json-pointer:${at}/elements]`);
          break;
        }
        if (block.elements.length > 25)
          problems.push(`no more than 25 items allowed [json-pointer:${at}/elements]`);
        const actionIds = new Set<string>();
        block.elements.forEach((element, i) => {
          problems.push(...elementProblems(element, `${at}/elements/${i}`));
          const actionId = asObject(element)?.action_id;
          if (typeof actionId === "string") {
            if (actionIds.has(actionId))
              problems.push(`duplicate action_id [json-pointer:${at}/elements/${i}/action_id]`);
            actionIds.add(actionId);
          }
        });
        break;
      }
      default:
        break;
    }
  });
  return problems;
}

function elementProblems(value: unknown, at: string): string[] {
  const element = asObject(value);
  if (!element || typeof element.type !== "string")
    return [`missing required field: type [json-pointer:${at}]`];
  const problems: string[] = [];
  if (typeof element.action_id === "string" && element.action_id.length > 255) {
    problems.push(`must be less than 256 characters [json-pointer:${at}/action_id]`);
  }
  if (element.type === "button") {
    problems.push(...textProblems(element.text, `${at}/text`, 75, true));
    if (typeof element.value === "string" && element.value.length > 2000) {
      problems.push(`must be less than 2001 characters [json-pointer:${at}/value]`);
    }
  }
  return problems;
}

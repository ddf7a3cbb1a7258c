import { webApi } from "@slack/bolt";
import {
  type Dispatcher,
  EnvHttpProxyAgent,
  getGlobalDispatcher,
  request,
  fetch as undiciFetch,
} from "undici";
import { NO_PROXY_SETTINGS, type ProxySettings } from "../config/proxy.js";
import type { Metrics } from "../metrics/types.js";

/**
 * How opsfeed talks HTTP to Slack: every Web API call and response_url post goes through one
 * `fetch` that takes the outbound proxy (HTTPS_PROXY, NO_PROXY…) and counts each call by
 * method and outcome, 429s included (a retried call counts once per attempt).
 */
export interface SlackHttp {
  /** WebClient options: the counting, proxied fetch, the deadline and the retry policy */
  clientOptions: Pick<
    webApi.WebClientOptions,
    "fetch" | "retryConfig" | "rejectRateLimitedCalls" | "timeout"
  >;
  /** the proxy-aware dispatcher for Socket Mode's WebSocket, or undefined when no proxy is set */
  dispatcher: Dispatcher | undefined;
  /**
   * Calls one Web API method with a JSON body and reads the answer once, without the
   * WebClient: for the posts opsfeed sends by the thousand.
   */
  callJson(request: WebApiRequest): Promise<WebApiAnswer>;
  /**
   * Runs start-up's calls quietly: an unreachable Slack fails with one error, without the
   * WebClient's own warnings.
   */
  withoutRetries<T>(work: () => Promise<T>): Promise<T>;
}

/** The deadline of every Web API call: seconds, not minutes. */
export const SLACK_CALL_TIMEOUT_MS = 10_000;

/** One Web API call: the API's base URL (`https://slack.com/api/`), the method, token and body. */
export interface WebApiRequest {
  apiUrl: string;
  method: string;
  token: string;
  body: object;
}

/** A Web API answer: its status, Retry-After in seconds, and its JSON body (null if none). */
export interface WebApiAnswer {
  status: number;
  retryAfterSeconds: number | null;
  body: { ok?: unknown; error?: unknown; [key: string]: unknown } | null;
}

/** Request headers as the plain object undici's request() takes. */
function headersOf(headers: RequestInit["headers"]): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers);
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return headers as Record<string, string>;
}

/** The Web API method of a request URL (`…/api/chat.postMessage`), else `response_url`. */
function methodOf(url: string | URL): string {
  const path = new URL(String(url)).pathname;
  const at = path.lastIndexOf("/api/");
  return at === -1 ? "response_url" : path.slice(at + "/api/".length) || "unknown";
}

/** An answer's status as a metric outcome: ok, rate_limited or http_<status>. */
function statusOutcome(status: number): string {
  if (status === 429) return "rate_limited";
  if (status < 200 || status > 299) return `http_${status}`;
  return "ok";
}

/** A Web API answer's JSON body as a metric outcome: ok, or Slack's error code. */
function bodyOutcome(body: { ok?: unknown; error?: unknown }): string {
  if (body.ok === false) return typeof body.error === "string" ? body.error : "error";
  return "ok";
}

/** A Slack answer as a metric outcome: ok, Slack's error code, rate_limited or http_<status>. */
async function outcomeOf(response: Response): Promise<string> {
  const status = statusOutcome(response.status);
  if (status !== "ok") return status;
  if (!(response.headers.get("content-type") ?? "").includes("json")) return "ok";
  try {
    return bodyOutcome((await response.clone().json()) as { ok?: unknown; error?: unknown });
  } catch {
    return "ok";
  }
}

/**
 * Builds the HTTP layer to Slack for the proxy settings, counting into `metrics`. Every call
 * has a deadline and no automatic retry (a retried post may post twice: the outbox decides
 * instead), and a 429 comes back at once instead of pausing the whole client, so a rate limit
 * on one channel delays only what goes there.
 */
export function createSlackHttp(
  metrics: Metrics,
  proxy: ProxySettings = NO_PROXY_SETTINGS,
  timeoutMs = SLACK_CALL_TIMEOUT_MS,
): SlackHttp {
  const proxied = proxy.httpProxy !== null || proxy.httpsProxy !== null;
  // Empty strings, not undefined: the settings already read the environment, and undici
  // must not fall back to a process.env the settings did not come from.
  const dispatcher = proxied
    ? new EnvHttpProxyAgent({
        httpProxy: proxy.httpProxy ?? "",
        httpsProxy: proxy.httpsProxy ?? "",
        noProxy: proxy.noProxy,
      })
    : undefined;
  const send = (url: string | URL, init?: RequestInit): Promise<Response> =>
    dispatcher
      ? (undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>)
      : fetch(url, init);
  /*
   * A POST through undici's request(), not fetch(): fetch clones every request body into a
   * tee of web streams and builds a Response around the answer, which for a response_url post
   * was most of a `later` command's CPU. The answer's body is read (so the connection is
   * reused) and handed back as text.
   */
  const post = async (
    url: string | URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number; headers: Record<string, unknown>; text: string }> => {
    const answer = await request(url, {
      method: "POST",
      headers,
      body,
      dispatcher: dispatcher ?? getGlobalDispatcher(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: answer.statusCode, headers: answer.headers, text: await answer.body.text() };
  };
  /** A response_url post as Bolt's respond() makes it, answered as the Response it expects. */
  const respondThroughPost = async (url: string | URL, init: RequestInit): Promise<Response> => {
    const answer = await post(url, headersOf(init.headers), String(init.body ?? ""));
    return new Response(null, { status: answer.status });
  };
  let failFast = 0;
  const countingFetch = async (url: string | URL, init?: RequestInit): Promise<Response> => {
    const method = methodOf(url);
    try {
      const response =
        method === "response_url" && init?.method === "POST" && typeof init.body === "string"
          ? await respondThroughPost(url, init)
          : await send(url, init);
      // A response_url answers `ok` or an HTTP error: its status says it all, so its body is
      // neither cloned nor parsed (the Web API's body carries the error code, so it is).
      metrics.slackApiCall(
        method,
        method === "response_url" ? statusOutcome(response.status) : await outcomeOf(response),
      );
      return response;
    } catch (error) {
      metrics.slackApiCall(method, "network_error");
      // A Slack error skips the WebClient's "http request failed" warning; start-up reports it.
      if (failFast > 0) throw new webApi.WebAPIRequestError(error as Error);
      throw error;
    }
  };
  /*
   * The WebClient redacts and serializes every request body for a debug line whatever the
   * log level, form-encodes it, and its answer is cloned and parsed twice: about a sixth of a
   * digest message's CPU. This sends JSON (which Slack takes with a bearer token) and parses once.
   */
  const callJson = async ({
    apiUrl,
    method,
    token,
    body,
  }: WebApiRequest): Promise<WebApiAnswer> => {
    let answer: Awaited<ReturnType<typeof post>>;
    try {
      answer = await post(
        new URL(method, apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`),
        {
          authorization: `Bearer ${token}`,
          "content-type": "application/json; charset=utf-8",
        },
        JSON.stringify(body),
      );
    } catch (error) {
      metrics.slackApiCall(method, "network_error");
      throw error;
    }
    let parsed: WebApiAnswer["body"] = null;
    try {
      const json: unknown = JSON.parse(answer.text);
      if (typeof json === "object" && json !== null) parsed = json as WebApiAnswer["body"];
    } catch {
      // Not JSON (a proxy's error page): the status says what there is to say.
    }
    const status = statusOutcome(answer.status);
    metrics.slackApiCall(
      method,
      status !== "ok" ? status : parsed === null ? "invalid_response" : bodyOutcome(parsed),
    );
    const retryAfter = Number(answer.headers["retry-after"]);
    return {
      status: answer.status,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      body: parsed,
    };
  };
  return {
    callJson,
    clientOptions: {
      fetch: countingFetch as unknown as webApi.FetchFunction,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: timeoutMs,
    },
    dispatcher,
    async withoutRetries(work) {
      failFast++;
      try {
        return await work();
      } finally {
        failFast--;
      }
    },
  };
}

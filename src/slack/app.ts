import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Server } from "node:net";
import { App, HTTPReceiver, type LogLevel, SocketModeReceiver, webApi } from "@slack/bolt";
import type { Settings } from "../config/settings.js";
import { SettingError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics, SlackSurface } from "../metrics/types.js";
import { VERSION } from "../version.js";
import type { SlackHttp } from "./http.js";
import { rememberResponse, responseProperties } from "./serialized-ack.js";
import { slackErrorCode } from "./slack-errors.js";

/** Thrown when Slack refuses one of opsfeed's tokens at start-up. */
export class TokenRejectedError extends SettingError {
  constructor(
    setting: "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN",
    readonly slackError: string,
    method: string,
  ) {
    super(setting, `Slack rejected the token at start-up (${method}: ${slackError})`);
    this.name = "TokenRejectedError";
  }
}

const SLACK_DEFAULT_API_URL = "https://slack.com/api/";

/** Why a start-up call to Slack failed, in a few words: the network error, or the HTTP status. */
function unreachableReason(error: unknown): string | null {
  if (error instanceof webApi.WebAPIHTTPError) return `HTTP ${error.statusCode}`;
  if (!(error instanceof webApi.WebAPIRequestError)) return null;
  const original = error.original as Error & { cause?: { message?: string } };
  return original.cause?.message ?? original.message;
}

/**
 * A failed start-up call as one line naming its setting: a token Slack rejects, or a Slack
 * that cannot be reached (SLACK_API_URL, the network, the proxy). Other failures pass through.
 */
function startupFailure(
  settings: Settings,
  setting: "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN",
  method: string,
  error: unknown,
): unknown {
  const code = slackErrorCode(error);
  if (code !== null) return new TokenRejectedError(setting, code, method);
  const reason = unreachableReason(error);
  if (reason === null) return error;
  const where = settings.slackApiUrl ?? `${SLACK_DEFAULT_API_URL} (the default)`;
  const proxied = settings.proxy.httpsProxy ? "HTTPS_PROXY" : "the network";
  return new SettingError(
    "SLACK_API_URL",
    `could not reach Slack at ${where} at start-up (${method}: ${reason}); check ${proxied}`,
    { cause: error },
  );
}

/** A port that cannot be listened on, as one line naming PORT; other failures pass through. */
function listenFailure(settings: Settings, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "EADDRINUSE") return new SettingError("PORT", `${settings.port} is already in use`);
  if (code === "EACCES") {
    return new SettingError(
      "PORT",
      `not allowed to listen on ${settings.port} (ports below 1024 need privileges)`,
    );
  }
  return error;
}

/** The Bolt app: its Web API client, and how to start and stop serving Slack. */
export interface BoltApp {
  app: App;
  client: webApi.WebClient;
  /** starts serving Slack; resolves with the HTTP port (HTTP mode) or null (Socket Mode) */
  start(): Promise<number | null>;
  stop(): Promise<void>;
}

/** What the Bolt app reports on and counts with, besides Slack itself. */
export interface BoltAppOptions {
  /** true when the database answers (`/healthz`, `/readyz`) */
  isHealthy: () => Promise<boolean>;
  metrics: Metrics;
  /** the Prometheus text for `GET /metrics` */
  renderMetrics: () => Promise<{ contentType: string; body: string }>;
  /** the proxied, counting HTTP layer every Web API client uses */
  http: SlackHttp;
}

/** Which surface of Slack a request came from, by the shape of its body. */
function surfaceOf(body: Record<string, unknown>): SlackSurface {
  if (typeof body.command === "string") return "command";
  switch (body.type) {
    case "block_actions":
    case "interactive_message":
      return "action";
    case "view_submission":
    case "view_closed":
      return "view";
    case "event_callback":
      return "event";
    case "shortcut":
    case "message_action":
      return "shortcut";
    case "block_suggestion":
      return "options";
    default:
      return "other";
  }
}

type Route = {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
};

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * Builds the Bolt app: HTTP mode on PORT with `/slack/events`, or Socket Mode when
 * SLACK_APP_TOKEN is set; both serve `/healthz`, `/readyz` and `/metrics` on PORT. Every Web
 * API call, Socket Mode's too, goes to SLACK_API_URL when it is set, through the proxy and
 * the metrics. Nothing is contacted until `start()`; listeners are registered by the
 * composition root.
 */
export function createBoltApp(
  settings: Settings,
  logger: Logger,
  options: BoltAppOptions,
): BoltApp {
  const { isHealthy, metrics, http } = options;
  const clientOptions: webApi.WebClientOptions = {
    ...http.clientOptions,
    ...(settings.slackApiUrl ? { slackApiUrl: settings.slackApiUrl } : {}),
  };
  const socketMode = settings.slackAppToken !== null;
  // Readiness: why Slack is not usable now, or null once it is.
  let slackProblem: string | null = socketMode
    ? "the Socket Mode connection is not open yet"
    : "start-up's auth.test has not passed yet";
  const setSlackProblem = (problem: string | null) => {
    slackProblem = problem;
    metrics.slackConnected(problem === null);
  };

  const routes: Route[] = [
    {
      path: "/healthz",
      method: ["GET"],
      handler: async (_req, res) => {
        const healthy = await isHealthy();
        json(res, healthy ? 200 : 503, {
          status: healthy ? "ok" : "unavailable",
          version: VERSION,
        });
      },
    },
    {
      path: "/readyz",
      method: ["GET"],
      handler: async (_req, res) => {
        const reasons = [
          ...((await isHealthy()) ? [] : ["the database does not answer"]),
          ...(slackProblem === null ? [] : [`Slack: ${slackProblem}`]),
        ];
        if (reasons.length === 0) json(res, 200, { status: "ready", version: VERSION });
        else
          json(res, 503, { status: "unavailable", reason: reasons.join("; "), version: VERSION });
      },
    },
    {
      path: "/metrics",
      method: ["GET"],
      handler: async (_req, res) => {
        const { contentType, body } = await options.renderMetrics();
        res.writeHead(200, { "content-type": contentType });
        res.end(body);
      },
    },
  ];
  // Bolt's and the Slack SDK's own lines go through opsfeed's logger, marked as theirs.
  const boltLogger = logger.child({ source: "slack" }) as unknown as import("@slack/bolt").Logger;
  const logLevel = settings.logLevel as LogLevel;
  const receiver = socketMode
    ? new SocketModeReceiver({
        appToken: settings.slackAppToken ?? "",
        logger: boltLogger,
        logLevel,
        // Socket Mode's own client reads its API URL from here, not from the App's options.
        installerOptions: { clientOptions, port: settings.port },
        customRoutes: routes,
        // The WebSocket goes through the proxy too (its HTTP calls use clientOptions.fetch).
        ...(http.dispatcher ? { dispatcher: http.dispatcher } : {}),
      })
    : undefined;
  const httpReceiver = socketMode
    ? undefined
    : boundedHttpReceiver(settings, routes, boltLogger, logger);
  let stopping = false;
  if (receiver) {
    const client = receiver.client;
    client.on("connected", () => setSlackProblem(null));
    for (const state of ["close", "disconnected", "reconnecting"]) {
      client.on(state, () => {
        if (slackProblem === null && !stopping) {
          logger.warn("Socket Mode connection lost", { state });
        }
        setSlackProblem("the Socket Mode connection is closed; reconnecting");
      });
    }
  }
  const app = new App({
    token: settings.slackBotToken,
    logger: boltLogger,
    logLevel,
    clientOptions,
    // auth.test runs in start(), so a rejected token stops start-up with a clear line.
    deferInitialization: true,
    receiver: receiver ?? httpReceiver,
    // No listener keeps conversation state, and Bolt's in-memory store costs every request a
    // thrown-and-caught "Conversation not found" error (a stack trace each time).
    convoStore: false,
  });
  // Counts and times every request from Slack, whatever listener handles it.
  app.use(async ({ body, next }) => {
    const started = process.hrtime.bigint();
    const surface = surfaceOf(body as Record<string, unknown>);
    const observe = (outcome: "ok" | "error") =>
      metrics.slackRequest(surface, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    try {
      await next();
      observe("ok");
    } catch (error) {
      observe("error");
      throw error;
    }
  });
  app.error(async (error) => {
    logger.error("unhandled error in a listener", { error });
  });

  let started = false;
  return {
    app,
    client: app.client,
    async start() {
      // auth.test with the bot token, once and without retries: a rejection names
      // SLACK_BOT_TOKEN, an unreachable Slack names SLACK_API_URL.
      try {
        await http.withoutRetries(() => app.init());
      } catch (error) {
        throw startupFailure(settings, "SLACK_BOT_TOKEN", "auth.test", error);
      }
      if (!socketMode) setSlackProblem(null);
      let server: Server | undefined;
      try {
        server = (await http.withoutRetries(() => app.start())) as Server | undefined;
      } catch (error) {
        // In Socket Mode, Slack refusing apps.connections.open means the app-level token.
        const failure = socketMode
          ? startupFailure(settings, "SLACK_APP_TOKEN", "apps.connections.open", error)
          : error;
        throw listenFailure(settings, failure);
      }
      started = true;
      const address = server?.address?.();
      return socketMode ? null : ((address as AddressInfo | null)?.port ?? settings.port);
    },
    async stop() {
      stopping = true;
      if (started) await app.stop();
      started = false;
    },
  };
}

/** How far a request's timestamp may be from now, either way, before it is refused. */
const SIGNATURE_WINDOW_SECONDS = 5 * 60;

/**
 * Bolt's HTTP receiver with opsfeed's edges: a request signed more than five minutes in the
 * future is refused like a stale one (Bolt refuses only the past), a request no listener
 * takes (an unknown action or callback id) and one whose handling throws (a payload without
 * a user) are answered 200 at once and logged, never a 404 or 500.
 */
function boundedHttpReceiver(
  settings: Settings,
  routes: Route[],
  boltLogger: import("@slack/bolt").Logger,
  logger: Logger,
): HTTPReceiver {
  const receiver = new HTTPReceiver({
    signingSecret: settings.slackSigningSecret ?? "",
    customRoutes: routes,
    port: settings.port,
    logger: boltLogger,
    unhandledRequestTimeoutMillis: 1000,
    customPropertiesExtractor: responseProperties,
    unhandledRequestHandler: ({ request, response }) => {
      logger.warn("a request from Slack no listener took; answered 200", { path: request.url });
      if (!response.headersSent) response.writeHead(200).end();
    },
    processEventErrorHandler: async ({ error, response }) => {
      logger.warn("a request from Slack could not be handled; answered 200", {
        error: (error as Error).message,
      });
      if (!response.headersSent) response.writeHead(200).end();
      return false;
    },
  });
  const verified = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    const timestamp = Number(req.headers["x-slack-request-timestamp"]);
    if (Number.isFinite(timestamp) && timestamp - Date.now() / 1000 > SIGNATURE_WINDOW_SECONDS) {
      logger.warn("a request signed in the future; refused", { path: req.url });
      res.writeHead(401).end();
      return;
    }
    rememberResponse(req, res);
    verified(req, res);
  };
  return receiver;
}

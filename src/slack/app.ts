import type { AddressInfo, Server } from "node:net";
import { App, type LogLevel, type webApi } from "@slack/bolt";
import type { Settings } from "../config/settings.js";
import type { Logger } from "../logger.js";
import { VERSION } from "../version.js";
import { slackErrorCode } from "./slack-errors.js";

/** Thrown when Slack refuses one of opsfeed's tokens at start-up. */
export class TokenRejectedError extends Error {
  constructor(
    readonly setting: "SLACK_BOT_TOKEN" | "SLACK_APP_TOKEN",
    readonly slackError: string,
    method: string,
  ) {
    super(`${setting}: Slack rejected the token at start-up (${method}: ${slackError})`);
    this.name = "TokenRejectedError";
  }
}

/** A Slack error from a start-up call as a TokenRejectedError; other failures pass through. */
function tokenRejection(
  setting: TokenRejectedError["setting"],
  method: string,
  error: unknown,
): unknown {
  const code = slackErrorCode(error);
  return code === null ? error : new TokenRejectedError(setting, code, method);
}

/** The Bolt app: its Web API client, and how to start and stop serving Slack. */
export interface BoltApp {
  app: App;
  client: webApi.WebClient;
  /** starts serving Slack; resolves with the HTTP port (HTTP mode) or null (Socket Mode) */
  start(): Promise<number | null>;
  stop(): Promise<void>;
}

// Retry transient Web API failures a few times, not Bolt's default of ten over half an hour:
// a start-up against an unreachable Slack should fail within a minute.
const RETRY_CONFIG = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 10_000 };

/**
 * Builds the Bolt app: HTTP mode on PORT with `/slack/events` and `/healthz`, or Socket
 * Mode when SLACK_APP_TOKEN is set. Every Web API call, Socket Mode's too, goes to
 * SLACK_API_URL when it is set. Nothing is contacted until `start()`; listeners are
 * registered by the composition root.
 */
export function createBoltApp(
  settings: Settings,
  logger: Logger,
  isHealthy: () => Promise<boolean>,
): BoltApp {
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: RETRY_CONFIG,
    ...(settings.slackApiUrl ? { slackApiUrl: settings.slackApiUrl } : {}),
  };
  const healthRoute = {
    path: "/healthz",
    method: ["GET"],
    handler: async (_req: unknown, res: import("node:http").ServerResponse) => {
      const healthy = await isHealthy();
      res.writeHead(healthy ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: healthy ? "ok" : "unavailable", version: VERSION }));
    },
  };
  const socketMode = settings.slackAppToken !== null;
  const app = new App({
    token: settings.slackBotToken,
    // Bolt's and the Slack SDK's own lines go through opsfeed's logger, marked as theirs.
    logger: logger.child({ source: "slack" }) as unknown as import("@slack/bolt").Logger,
    logLevel: settings.logLevel as LogLevel,
    clientOptions,
    // auth.test runs in start(), so a rejected token stops start-up with a clear line.
    deferInitialization: true,
    ...(socketMode
      ? {
          socketMode: true,
          appToken: settings.slackAppToken ?? undefined,
          // Socket Mode's own client reads its API URL from here, not from clientOptions.
          installerOptions: { clientOptions, port: settings.port },
          customRoutes: [healthRoute],
        }
      : {
          signingSecret: settings.slackSigningSecret ?? "",
          customRoutes: [healthRoute],
          port: settings.port,
        }),
  });
  app.error(async (error) => {
    logger.error("unhandled error in a listener", { error });
  });

  let started = false;
  return {
    app,
    client: app.client,
    async start() {
      // auth.test with the bot token; a rejection names SLACK_BOT_TOKEN.
      try {
        await app.init();
      } catch (error) {
        throw tokenRejection("SLACK_BOT_TOKEN", "auth.test", error);
      }
      let server: Server | undefined;
      try {
        server = (await app.start()) as Server | undefined;
      } catch (error) {
        // In Socket Mode, Slack refusing apps.connections.open means the app-level token.
        throw socketMode
          ? tokenRejection("SLACK_APP_TOKEN", "apps.connections.open", error)
          : error;
      }
      started = true;
      const address = server?.address?.();
      return socketMode ? null : ((address as AddressInfo | null)?.port ?? settings.port);
    },
    async stop() {
      if (started) await app.stop();
      started = false;
    },
  };
}

import { readSettings, type Settings } from "../../src/config/settings.js";
import { loggerFor } from "../../src/logger.js";
import type { Services } from "../../src/services.js";
import type { Db } from "../../src/store/database.js";
import { type RunningOpsfeed, type StartOptions, startOpsfeed } from "../../src/wiring.js";
import { type FakeSlack, startFakeSlack } from "./fake-slack.js";
import {
  type CommandContext,
  type CommandReply,
  createSlackRequester,
  type SlackRequester,
} from "./signed-requests.js";
import { createTestDatabase } from "./test-database.js";

/** The signing secret every test app verifies requests with. */
export const TEST_SIGNING_SECRET = "test-signing-secret-0123456789abcdef";

/** A real opsfeed on an ephemeral port, a stand-in Slack, and a signed-request client. */
export interface TestApp {
  url: string;
  settings: Settings;
  services: Services;
  /** the app's database, for tests to inspect what it stored */
  db: Db;
  fakeSlack: FakeSlack;
  slack: SlackRequester;
  /** sends `/opsfeed <text>` as Slack would and returns the reply the user sees */
  ask(text: string, ctx?: CommandContext): Promise<CommandReply>;
  /** every line opsfeed logged */
  logs: string[];
  /** stops opsfeed and starts it again on the same database and stand-in Slack */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Options for a test app; `env` overrides settings as the environment would. */
export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: () => Date;
  fakeSlack?: FakeSlack;
  /** waits between two digest messages (default: Slack's real pacing) */
  pause?: StartOptions["pause"];
  /** wraps the Slack-side ports, to inject faults */
  decoratePorts?: StartOptions["decoratePorts"];
  /** the deadline of each Web API call (tests of hung calls shorten it) */
  slackTimeoutMs?: number;
}

/**
 * Starts the real app (Bolt over HTTP, a migrated database of its own: SQLite in a temp file,
 * or a Postgres schema in the Postgres run) against a stand-in Slack Web API on loopback.
 * Jobs are not scheduled: tests run them explicitly.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const fakeSlack = options.fakeSlack ?? (await startFakeSlack());
  const database = await createTestDatabase();
  const result = readSettings({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: fakeSlack.apiUrl,
    PORT: "0",
    DATABASE_URL: database.url,
    // The feed servers in tests are on loopback.
    OPSFEED_ALLOW_PRIVATE_NETWORKS: "true",
    LOG_LEVEL: "debug",
    ...options.env,
  });
  if (!result.ok) throw new Error(`bad test settings:\n${result.problems.join("\n")}`);
  const settings = result.settings;
  const logs: string[] = [];
  const logger = loggerFor(settings, (_level, line) => logs.push(line));

  const requesterFor = (port: number | null) =>
    createSlackRequester({
      appUrl: `http://127.0.0.1:${port}`,
      signingSecret: TEST_SIGNING_SECRET,
      fakeSlack,
    });
  const startOptions = (): StartOptions => ({
    clock: options.clock,
    startJobs: false,
    pause: options.pause,
    decoratePorts: options.decoratePorts,
    slackTimeoutMs: options.slackTimeoutMs,
  });
  let running: RunningOpsfeed = await startOpsfeed(settings, logger, startOptions());
  const testApp: TestApp = {
    url: `http://127.0.0.1:${running.port}`,
    settings,
    services: running.services,
    db: running.db,
    fakeSlack,
    slack: requesterFor(running.port),
    logs,
    async ask(text, ctx = {}) {
      const sent = await testApp.slack.command(text, ctx);
      if (sent.answer.status !== 200) {
        throw new Error(
          `/opsfeed ${text} answered HTTP ${sent.answer.status}: ${sent.answer.body}`,
        );
      }
      return testApp.slack.replyTo(sent, { userId: ctx.userId, channelId: ctx.channelId });
    },
    async restart() {
      await running.stop();
      running = await startOpsfeed({ ...settings }, logger, startOptions());
      testApp.url = `http://127.0.0.1:${running.port}`;
      testApp.services = running.services;
      testApp.db = running.db;
      testApp.slack = requesterFor(running.port);
    },
    async stop() {
      await running.stop();
      if (!options.fakeSlack) await fakeSlack.close();
      await database.drop();
    },
  };
  return testApp;
}

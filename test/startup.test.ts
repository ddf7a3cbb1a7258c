import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "./support/fake-slack.js";
import { spawnNpmStart, spawnOpsfeed } from "./support/process.js";
import { createSlackRequester } from "./support/signed-requests.js";
import { createTestDatabase, onPostgres, type TestDatabase } from "./support/test-database.js";

// These tests start `src/main.ts` as its own process, as `npm start` does.

const SECRET = "process-test-signing-secret";
let fakeSlack: FakeSlack | null = null;
let database: TestDatabase;

beforeEach(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  await fakeSlack?.close();
  fakeSlack = null;
  await database.drop();
});

/**
 * DATABASE_URL for a started opsfeed: none on SQLite, where the default (./data in the
 * working directory) is part of what is tested; the test's own schema on Postgres.
 */
function databaseEnv(): Record<string, string> {
  return onPostgres ? { DATABASE_URL: database.url } : {};
}

function emptyFolder(): string {
  return mkdtempSync(join(tmpdir(), "opsfeed-start-"));
}

describe("npm start", () => {
  it("exits 1 with no settings, naming SLACK_BOT_TOKEN, before touching the database", async () => {
    const cwd = emptyFolder();
    const opsfeed = spawnOpsfeed(databaseEnv(), cwd);
    const { code } = await opsfeed.exited;
    expect(code).toBe(1);
    expect(opsfeed.stderr()).toContain("SLACK_BOT_TOKEN: required");
    expect(existsSync(join(cwd, "data"))).toBe(false);
    if (onPostgres) expect(await database.isCreated()).toBe(false);
  });

  it("prints one line per bad setting", async () => {
    const opsfeed = spawnOpsfeed(
      {
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "s",
        PORT: "abc",
        OPSFEED_TIMEZONE: "Nowhere/Special",
        OPSFEED_ALLOW_PRIVATE_NETWORKS: "yes please",
      },
      emptyFolder(),
    );
    const { code } = await opsfeed.exited;
    expect(code).toBe(1);
    const lines = opsfeed.stderr().trim().split("\n");
    expect(lines).toEqual([
      'PORT: expected a port number 0-65535 (0 picks a free port), got "abc"',
      'OPSFEED_ALLOW_PRIVATE_NETWORKS: expected true or false, got "yes please"',
      'OPSFEED_TIMEZONE: expected an IANA time zone such as UTC or Asia/Tokyo, got "Nowhere/Special"',
    ]);
  });

  it("reads settings from .env in the working directory", async () => {
    const cwd = emptyFolder();
    writeFileSync(join(cwd, ".env"), "SLACK_BOT_TOKEN=xoxb-from-file\nPORT=nope\n");
    const opsfeed = spawnOpsfeed({ SLACK_SIGNING_SECRET: "s" }, cwd);
    await opsfeed.exited;
    expect(opsfeed.stderr().trim()).toBe(
      'PORT: expected a port number 0-65535 (0 picks a free port), got "nope"',
    );
  });

  it("exits 1 with a clear line when Slack rejects the token", async () => {
    fakeSlack = await startFakeSlack();
    fakeSlack.setAuthValid(false);
    const opsfeed = spawnOpsfeed(
      {
        SLACK_BOT_TOKEN: "xoxb-revoked",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fakeSlack.apiUrl,
        PORT: "0",
      },
      emptyFolder(),
    );
    const { code } = await opsfeed.exited;
    expect(code).toBe(1);
    expect(opsfeed.stderr()).toContain(
      "SLACK_BOT_TOKEN: Slack rejected the token at start-up (auth.test: invalid_auth)",
    );
  });

  it("serves /healthz and signed commands, refuses unsigned ones, and exits 0 on SIGTERM", async () => {
    fakeSlack = await startFakeSlack();
    const cwd = emptyFolder();
    const opsfeed = spawnOpsfeed(
      {
        SLACK_BOT_TOKEN: "xoxb-good",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fakeSlack.apiUrl,
        PORT: "0",
        LOG_LEVEL: "info",
        ...databaseEnv(),
      },
      cwd,
    );
    const line = await opsfeed.waitForOutput(/opsfeed listening/);
    const port = Number(/port=(\d+)/.exec(line)?.[1]);
    expect(port).toBeGreaterThan(0);
    // Migrated where DATABASE_URL, or on SQLite its default, points.
    if (onPostgres) expect(await database.isCreated()).toBe(true);
    else expect(existsSync(join(cwd, "data", "opsfeed.sqlite"))).toBe(true);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);

    const slack = createSlackRequester({
      appUrl: `http://127.0.0.1:${port}`,
      signingSecret: SECRET,
      fakeSlack,
    });
    const sent = await slack.command("help");
    const reply = await slack.replyTo(sent);
    expect(reply.text).toContain("/opsfeed subscribe");

    const unsigned = await slack.raw("command=%2Fopsfeed&text=help", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(unsigned.status).toBe(401);

    opsfeed.child.kill("SIGTERM");
    const { code } = await opsfeed.exited;
    expect(code).toBe(0);
    expect(opsfeed.stdout()).toContain("opsfeed stopped");
  });

  it("stops gracefully and exits 0 when npm itself gets SIGTERM, leaving nothing running", async () => {
    fakeSlack = await startFakeSlack();
    const opsfeed = spawnNpmStart({
      SLACK_BOT_TOKEN: "xoxb-npm",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fakeSlack.apiUrl,
      PORT: "0",
      DATABASE_URL: database.url,
    });
    const line = await opsfeed.waitForOutput(/opsfeed listening/);
    const port = Number(/port=(\d+)/.exec(line)?.[1]);
    // A supervisor signals the process it started: npm.
    opsfeed.child.kill("SIGTERM");
    const { code } = await opsfeed.exited;
    expect(code).toBe(0);
    expect(opsfeed.stdout()).toContain("opsfeed stopped");
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

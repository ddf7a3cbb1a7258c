import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDotEnv } from "../src/config/environment.js";
import { databaseForLogs, readSettings } from "../src/config/settings.js";

const minimal = { SLACK_BOT_TOKEN: "xoxb-1-2-3", SLACK_SIGNING_SECRET: "secret" };

function problemsOf(env: Record<string, string>): string[] {
  const result = readSettings(env);
  return result.ok ? [] : result.problems;
}

describe("readSettings", () => {
  it("applies the documented defaults", () => {
    const result = readSettings(minimal);
    expect(result).toEqual({
      ok: true,
      settings: {
        slackBotToken: "xoxb-1-2-3",
        slackSigningSecret: "secret",
        slackAppToken: null,
        slackApiUrl: null,
        port: 3000,
        databaseUrl: "./data/opsfeed.sqlite",
        allowPrivateNetworks: false,
        pollCron: "*/10 * * * *",
        realtimePollSeconds: 120,
        pollConcurrency: { total: 16, perHost: 2 },
        parseWorkers: 1,
        digestCron: "* * * * *",
        timeZone: "UTC",
        digestMaxArticles: 30,
        digestConcurrency: 32,
        locale: "en",
        logLevel: "info",
        logFormat: "text",
        proxy: { httpProxy: null, httpsProxy: null, noProxy: "" },
        saveReaction: "bookmark",
        doneReaction: "white_check_mark",
        hatenaApiUrl: "https://b.hatena.ne.jp/",
        retentionDays: 90,
      },
    });
  });

  it("names SLACK_BOT_TOKEN and the signing secret when nothing is set", () => {
    expect(problemsOf({})).toEqual([
      "SLACK_BOT_TOKEN: required: the bot token (xoxb-…)",
      "SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
    ]);
  });

  it("gives one line per bad setting, naming the variable, what it expects and what it got", () => {
    const problems = problemsOf({
      ...minimal,
      PORT: "abc",
      SLACK_API_URL: "nope",
      OPSFEED_ALLOW_PRIVATE_NETWORKS: "maybe",
      OPSFEED_POLL_CRON: "every minute",
      OPSFEED_DIGEST_CRON: "hourly",
      OPSFEED_TIMEZONE: "Mars/Olympus_Mons",
      OPSFEED_DIGEST_MAX_ARTICLES: "0",
      OPSFEED_LOCALE: "fr",
      LOG_LEVEL: "loud",
      DATABASE_URL: "mysql://db/opsfeed",
      LOG_FORMAT: "yaml",
      HTTPS_PROXY: "proxy.internal",
    });
    expect(problems).toEqual([
      'SLACK_API_URL: expected an http(s) URL ending in /api/, got "nope"',
      'PORT: expected a port number 0-65535 (0 picks a free port), got "abc"',
      'DATABASE_URL: expected a SQLite file path, :memory:, or a postgres:// (or postgresql://) URL, got "mysql://db/opsfeed"',
      'OPSFEED_ALLOW_PRIVATE_NETWORKS: expected true or false, got "maybe"',
      'OPSFEED_POLL_CRON: expected 5 fields (minute hour day-of-month month day-of-week, optionally led by seconds), like "*/10 * * * *", but there are 2, got "every minute"',
      'OPSFEED_DIGEST_CRON: expected 5 fields (minute hour day-of-month month day-of-week, optionally led by seconds), like "* * * * *", but there are 1, got "hourly"',
      'OPSFEED_TIMEZONE: expected an IANA time zone such as UTC or Asia/Tokyo, got "Mars/Olympus_Mons"',
      'OPSFEED_DIGEST_MAX_ARTICLES: expected a whole number 1-200, got "0"',
      'OPSFEED_LOCALE: expected en or ja, got "fr"',
      'LOG_LEVEL: expected debug, info, warn or error, got "loud"',
      'LOG_FORMAT: expected text or json, got "yaml"',
      'HTTPS_PROXY: expected a proxy URL like http://proxy.internal:3128, got "proxy.internal"',
    ]);
  });

  it.each([
    ["SLACK_BOT_TOKEN", "xoxp-user-token", "expected a bot token starting with xoxb-"],
    ["SLACK_APP_TOKEN", "xoxb-not-an-app-token", "expected an app-level token starting with xapp-"],
    ["PORT", "70000", "expected a port number"],
    ["PORT", "80.5", "expected a port number"],
    // Only plain decimal digits: Number() would read these as 16, 1000, 80 and 80.
    ["PORT", "0x10", "expected a port number"],
    ["PORT", "1e3", "expected a port number"],
    ["PORT", "80.0", "expected a port number"],
    ["PORT", "+80", "expected a port number"],
    ["PORT", "-1", "expected a port number"],
    ["OPSFEED_POLL_CRON", "61 * * * *", 'minute "61" is not valid: expected 0-59'],
    ["OPSFEED_POLL_CRON", "0 24 * * *", 'hour "24" is not valid: expected 0-23'],
    ["OPSFEED_POLL_CRON", "0 9 * * funday", 'day of week "funday" is not valid: expected 0-7'],
    ["OPSFEED_POLL_CRON", "0 9 31 2 *", 'day of month "31" never occurs in the months given'],
    ["HTTP_PROXY", "ftp://proxy:21", "expected a proxy URL"],
    ["SLACK_API_URL", "https://slack.example/api", "expected the URL to end with /"],
    ["SLACK_API_URL", "ftp://slack.example/api/", "expected an http(s) URL"],
    ["HATENA_API_URL", "b.hatena.ne.jp", "expected an http(s) URL like https://b.hatena.ne.jp/"],
    ["HATENA_API_URL", "ftp://b.hatena.ne.jp/", "expected an http(s) URL"],
    ["HATENA_API_URL", "https://hatena.example/api", "expected the URL to end with /"],
    // Taken for a relative path, these would make folders named sqlite: or mysql:.
    ["DATABASE_URL", "sqlite:///x", "expected a SQLite file path, :memory:, or a postgres://"],
    ["DATABASE_URL", "mysql://h/db", "expected a SQLite file path, :memory:, or a postgres://"],
    ["DATABASE_URL", "http://db.example/x", "expected a SQLite file path"],
    ["DATABASE_URL", "file://data/opsfeed.sqlite", "expected a SQLite file path"],
    [
      "OPSFEED_SAVE_REACTION",
      ":bookmark:",
      "expected an emoji name without the colons, like bookmark",
    ],
    ["OPSFEED_SAVE_REACTION", "Book Mark", "expected an emoji name as Slack spells it"],
    ["OPSFEED_DONE_REACTION", "✅", "expected an emoji name as Slack spells it"],
    ["OPSFEED_DONE_REACTION", "bookmark", "expected an emoji other than OPSFEED_SAVE_REACTION's"],
    ["OPSFEED_REALTIME_POLL_SECONDS", "5", "expected a whole number of seconds from 10 to 3600"],
    ["OPSFEED_REALTIME_POLL_SECONDS", "2m", "expected a whole number of seconds from 10 to 3600"],
    ["OPSFEED_REALTIME_POLL_SECONDS", "7200", "expected a whole number of seconds"],
    ["OPSFEED_RETENTION_DAYS", "-1", "expected a whole number of days from 0 to 3650"],
    ["OPSFEED_RETENTION_DAYS", "3651", "expected a whole number of days from 0 to 3650"],
    ["OPSFEED_RETENTION_DAYS", "30d", "expected a whole number of days from 0 to 3650"],
    ["OPSFEED_POLL_CONCURRENCY", "0", "expected a whole number 1-256"],
    ["OPSFEED_DIGEST_CONCURRENCY", "0", "expected a whole number 1-256"],
    ["OPSFEED_POLL_CONCURRENCY", "lots", "expected a whole number 1-256"],
    ["OPSFEED_POLL_HOST_CONCURRENCY", "17", "expected a whole number 1-16"],
    ["OPSFEED_PARSE_WORKERS", "-1", "expected a whole number 0-16"],
  ])("refuses %s=%s", (name, value, expected) => {
    const problems = problemsOf({ ...minimal, [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name}: ${expected}`);
  });

  it("reads OPSFEED_REALTIME_POLL_SECONDS", () => {
    const result = readSettings({ ...minimal, OPSFEED_REALTIME_POLL_SECONDS: " 60 " });
    expect(result.ok && result.settings.realtimePollSeconds).toBe(60);
  });

  it("reads OPSFEED_RETENTION_DAYS, 0 keeping everything", () => {
    const month = readSettings({ ...minimal, OPSFEED_RETENTION_DAYS: " 30 " });
    expect(month.ok && month.settings.retentionDays).toBe(30);
    const forever = readSettings({ ...minimal, OPSFEED_RETENTION_DAYS: "0" });
    expect(forever.ok && forever.settings.retentionDays).toBe(0);
  });

  it("reads the reaction emoji, custom and standard names alike", () => {
    const result = readSettings({
      ...minimal,
      OPSFEED_SAVE_REACTION: "atode-yomu",
      OPSFEED_DONE_REACTION: "+1",
    });
    expect(result.ok && [result.settings.saveReaction, result.settings.doneReaction]).toEqual([
      "atode-yomu",
      "+1",
    ]);
  });

  it.each([
    "postgres://opsfeed:secret@db.example:5432/opsfeed",
    "postgresql://db.example/opsfeed?sslmode=require",
    "./data/opsfeed.sqlite",
    "/var/lib/opsfeed/opsfeed.sqlite",
    ":memory:",
  ])("accepts DATABASE_URL=%s", (databaseUrl) => {
    const result = readSettings({ ...minimal, DATABASE_URL: databaseUrl });
    expect(result.ok && result.settings.databaseUrl).toBe(databaseUrl);
  });

  it("masks a Postgres password where the database is logged", () => {
    expect(databaseForLogs("postgres://opsfeed:secret@db.example/opsfeed")).toBe(
      "postgres://opsfeed:***@db.example/opsfeed",
    );
    expect(databaseForLogs("postgres://db.example/opsfeed")).toBe("postgres://db.example/opsfeed");
    expect(databaseForLogs("./data/opsfeed.sqlite")).toBe("./data/opsfeed.sqlite");
  });

  it("reads PORT as plain digits, trimmed like every setting", () => {
    const result = readSettings({ ...minimal, PORT: " 8080 " });
    expect(result.ok && result.settings.port).toBe(8080);
    const zero = readSettings({ ...minimal, PORT: "0" });
    expect(zero.ok && zero.settings.port).toBe(0);
  });

  it("reads the proxies, lower-case forms first, HTTPS falling back to HTTP_PROXY", () => {
    const both = readSettings({
      ...minimal,
      HTTP_PROXY: "http://upper:3128",
      http_proxy: "http://lower:3128",
      NO_PROXY: "localhost,.internal",
    });
    expect(both.ok && both.settings.proxy).toEqual({
      httpProxy: "http://lower:3128/",
      httpsProxy: "http://lower:3128/",
      noProxy: "localhost,.internal",
    });
    const https = readSettings({ ...minimal, HTTPS_PROXY: "http://secure:8080" });
    expect(https.ok && https.settings.proxy).toEqual({
      httpProxy: null,
      httpsProxy: "http://secure:8080/",
      noProxy: "",
    });
  });

  it("never repeats a proxy password in a problem line", () => {
    expect(problemsOf({ ...minimal, HTTPS_PROXY: "ftp://ops:hunter2@proxy:21" })).toEqual([
      'HTTPS_PROXY: expected a proxy URL like http://proxy.internal:3128, got "ftp://…@proxy:21"',
    ]);
  });

  it('reads "false" as false and "true" as true (not a truthy string)', () => {
    const off = readSettings({ ...minimal, OPSFEED_ALLOW_PRIVATE_NETWORKS: "false" });
    const on = readSettings({ ...minimal, OPSFEED_ALLOW_PRIVATE_NETWORKS: "true" });
    expect(off.ok && off.settings.allowPrivateNetworks).toBe(false);
    expect(on.ok && on.settings.allowPrivateNetworks).toBe(true);
  });

  it("reads HATENA_API_URL, Hatena Bookmark's own host by default", () => {
    const byDefault = readSettings(minimal);
    expect(byDefault.ok && byDefault.settings.hatenaApiUrl).toBe("https://b.hatena.ne.jp/");
    const set = readSettings({ ...minimal, HATENA_API_URL: "http://127.0.0.1:8080/hatena/" });
    expect(set.ok && set.settings.hatenaApiUrl).toBe("http://127.0.0.1:8080/hatena/");
  });

  it("treats empty values as unset, as .env placeholders are", () => {
    const result = readSettings({ ...minimal, PORT: "", OPSFEED_LOCALE: " ", SLACK_API_URL: "" });
    expect(result.ok && [result.settings.port, result.settings.locale]).toEqual([3000, "en"]);
  });

  it("does not need a signing secret in Socket Mode", () => {
    const result = readSettings({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" });
    expect(result.ok && result.settings.slackAppToken).toBe("xapp-1");
  });

  it("accepts a time zone, Japanese locale and Slack API URL", () => {
    const result = readSettings({
      ...minimal,
      OPSFEED_TIMEZONE: "Asia/Tokyo",
      OPSFEED_LOCALE: "ja",
      SLACK_API_URL: "http://127.0.0.1:9999/api/",
    });
    expect(result.ok && result.settings).toMatchObject({
      timeZone: "Asia/Tokyo",
      locale: "ja",
      slackApiUrl: "http://127.0.0.1:9999/api/",
    });
  });
});

describe("loadDotEnv", () => {
  it("reads .env but lets the real environment win", () => {
    const dir = mkdtempSync(join(tmpdir(), "opsfeed-env-"));
    const file = join(dir, ".env");
    writeFileSync(file, "OPSFEED_TEST_FROM_FILE=file\nOPSFEED_TEST_BOTH=file\n");
    process.env.OPSFEED_TEST_BOTH = "environment";
    try {
      loadDotEnv(file);
      expect(process.env.OPSFEED_TEST_FROM_FILE).toBe("file");
      expect(process.env.OPSFEED_TEST_BOTH).toBe("environment");
    } finally {
      delete process.env.OPSFEED_TEST_FROM_FILE;
      delete process.env.OPSFEED_TEST_BOTH;
    }
  });

  it("does nothing when there is no .env", () => {
    expect(() => loadDotEnv(join(tmpdir(), "no-such-dir-opsfeed", ".env"))).not.toThrow();
  });
});
